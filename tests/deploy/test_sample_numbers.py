"""An unedited deployment must never send a worried practitioner to a stranger's phone: every
phone number in a sample configuration is in Ofcom's ranges reserved for drama, or a national
helpline that is meant to be rung."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ["README.md", "deploy/.env.example", "deploy/k8s/configmap.yaml", "deploy/docker-compose.yml"]
NATIONAL = {"0808 800 5000", "0800 1111"}
PHONE = re.compile(r"(?<![\w.-])0\d{2,4}[ -]?\d{3,4}[ -]?\d{3,4}(?![\w.-])")


def _is_drama_number(number: str) -> bool:
    digits = re.sub(r"\D", "", number)
    return digits.startswith("01632960") or digits.startswith("07700900") or digits.startswith("02079460")


@pytest.mark.parametrize("sample", SAMPLES)
def test_sample_configuration_uses_only_drama_or_national_helpline_numbers(sample):
    text = (ROOT / sample).read_text()
    found = [n for n in PHONE.findall(text) if n not in NATIONAL and not _is_drama_number(n)]
    assert found == [], f"{sample}: real-looking numbers {found}; use 01632 960000-960999 or 07700 900000-900999"


def test_the_configmap_fills_every_urgent_contact():
    text = (ROOT / "deploy/k8s/configmap.yaml").read_text()
    for key in ("front_door_name", "front_door_phone", "out_of_hours_phone"):
        assert key in text
