"""Delivery tasks: one per queued message (enqueued when its transaction commits, and again at
each retry's time), and a sweep every minute that takes whatever is due — messages whose task was
lost, and messages whose worker died mid-delivery once their lease has run out."""

from django.tasks import task

from laget.notify import services


@task
def deliver_message(message_id: str) -> dict[str, int]:
    return services.message_deliver(message_id=message_id).as_dict()


@task
def deliver_due_messages() -> dict[str, int]:
    return services.deliver_due().as_dict()


@task
def scrub_old_messages() -> int:
    return services.messages_scrub()
