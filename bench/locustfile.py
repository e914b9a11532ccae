"""The load scenario of bench/bench_load.py: staff doing case work against a real server.

Each simulated user is one member of staff from the scale seed, logged in (a verified session
prepared by bench_load.py: password and second factor, as after the two-step login), working on
the open cases they are on the team of: opening a case, its plan, their case list, the new
entries in their cases, the start page, and — for a bydel's coordinator — the desk; with a
pause of one to three seconds between pages, as a person reading them. Every answer but a 200 is
an error. The accessibility statement (no personal data, no queries but the session's) is the
baseline page measured in the same run."""

import json
import os
import random
from itertools import count

from locust import HttpUser, between, task

with open(os.environ["LAGET_LOAD_STAFF"], encoding="utf-8") as _file:
    STAFF = json.load(_file)
_next = count()


class Staff(HttpUser):
    wait_time = between(1, 3)

    def on_start(self) -> None:
        self.me = STAFF[next(_next) % len(STAFF)]
        self.client.cookies.set(self.me["cookie_name"], self.me["session"])
        self.random = random.Random(self.me["session"])

    def _get(self, path: str, name: str) -> None:
        with self.client.get(path, name=name, allow_redirects=False,
                             catch_response=True) as response:
            if response.status_code == 0:  # no answer: say why (refused, reset, timed out)
                response.failure(f"no response: {type(response.error).__name__}")
            elif response.status_code != 200:
                response.failure(f"status {response.status_code}")

    @task(6)
    def case_page(self) -> None:
        self._get(f"/saker/{self.random.choice(self.me['cases'])}/", "case page")

    @task(2)
    def plan(self) -> None:
        self._get(f"/saker/{self.random.choice(self.me['cases'])}/plan/", "plan")

    @task(2)
    def my_cases(self) -> None:
        self._get("/saker/", "my cases")

    @task(1)
    def new_entries(self) -> None:
        self._get("/saker/nye-opplysninger/", "new entries")

    @task(1)
    def start_page(self) -> None:  # (`start` is Locust's own)
        self._get("/", "start page")

    @task(2)
    def desk(self) -> None:
        if self.me["desk"]:
            self._get("/skrivebord/", "desk")
        else:
            self._get(f"/saker/{self.random.choice(self.me['cases'])}/", "case page")

    @task(1)
    def baseline(self) -> None:
        self._get("/tilgjengelighet/", "baseline (accessibility statement)")
