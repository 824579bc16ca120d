// Starts Swagger UI on /docs. A file of its own: the page's Content-Security-Policy allows
// scripts from this server only, never inline ones.
"use strict";

(function () {
  var root = document.getElementById("swagger-ui");
  window.ui = SwaggerUIBundle({
    url: root.dataset.openapiUrl,
    domNode: root,
    deepLinking: true,
    // Offline: no badge fetched from the public validator.
    validatorUrl: null,
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
})();
