import pytest

from laget.notify.tests.fakes import SmsGateway, SmtpServer, WebhookReceiver


@pytest.fixture
def smtp_server(settings):
    server = SmtpServer().start()
    settings.MAILERS = {"default": server.mailer}
    yield server
    server.stop()


@pytest.fixture
def sms_gateway(settings):
    gateway = SmsGateway().start()
    settings.LAGET_NOTIFY_SMS_URL = gateway.url
    settings.LAGET_NOTIFY_SMS_TOKEN = "test-token-123"
    yield gateway
    gateway.stop()


@pytest.fixture
def console_file(settings, tmp_path):
    path = tmp_path / "console.log"
    settings.LAGET_NOTIFY_CONSOLE_FILE = str(path)
    return path


@pytest.fixture
def notify_settings(settings):
    settings.LAGET_NOTIFY_MAX_ATTEMPTS = 4
    settings.LAGET_NOTIFY_BACKOFF_BASE_SECONDS = 30
    settings.LAGET_NOTIFY_BACKOFF_MAX_SECONDS = 100
    settings.LAGET_NOTIFY_LEASE_SECONDS = 120
    return settings


@pytest.fixture
def webhook_receiver():
    receiver = WebhookReceiver().start()
    yield receiver
    receiver.stop()
