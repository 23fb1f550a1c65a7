"""The accessible storefront: settings, root URLs and the domain apps.

The Celery app is loaded with Django so that `shared_task`s bind to it (and queue through its broker).
"""

from .celery import app as celery_app

__all__ = ("celery_app",)
