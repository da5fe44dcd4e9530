"""Run by the scheduler every minute: new items, due digests, and retries of failed sends."""

from django.core.management.base import BaseCommand

from alerts import sending


class Command(BaseCommand):
    help = (
        "Send e-mail alerts: queue new items of followed feeds, gather daily (07:00) and weekly "
        "(Monday 07:00, Europe/London) digests that are due, and send or retry what is pending."
    )

    def handle(self, *args, **options):
        result = sending.run()
        if options["verbosity"] > 1 or result["sent"]:
            self.stdout.write(f"Alerts: {result['queued']} queued, {result['sent']} e-mails sent.")
