"""The text of a PDF the app served, for tests that check what a printed document says. Needs
poppler's pdftotext, which `make test` installs: without it the test fails, it does not skip."""

import shutil
import subprocess


def pdf_text(content: bytes, *, layout: bool = False) -> str:
    pdftotext = shutil.which("pdftotext")
    assert pdftotext, "pdftotext is missing (apt-get install poppler-utils; `make test` does)"
    args = [pdftotext, *(["-layout"] if layout else []), "-", "-"]
    return subprocess.run(args, input=content, capture_output=True,
                          check=True).stdout.decode()
