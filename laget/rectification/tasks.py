"""The rectification requests' periodic task (settings.LAGET_PERIODIC_TASKS)."""

from django.tasks import task


@task
def remind_due() -> int:
    """Remind the deciding agency of requests due within a week or past their deadline
    (laget.rectification.services.remind_due; a second run the same day sends nothing)."""
    from laget.rectification.services import remind_due as remind

    return remind()
