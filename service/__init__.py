"""Parley: where each party stands on each issue, since when, and says who.

gunicorn serves ``service:create_app()``; importing the package builds nothing.
"""


def create_app(test_config=None):
    """Build the Flask application (see :mod:`service.app`)."""
    from service.app import create_app as factory

    return factory(test_config)
