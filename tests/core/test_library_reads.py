"""The bundled libraries, read as the coach reads them: general precision rules hold on the real
practice library, not only on a toy marker list."""

from __future__ import annotations

import pytest

from coach.conversation.engine import matcher_for
from coach.scenario.loader import load_catalog
from coach.scenario.sources import bundled_folder


@pytest.fixture(scope="module")
def onboarding():
    return matcher_for(load_catalog([bundled_folder()]).scenario("onboarding-talk"))


def fired(matcher, text: str) -> set[str]:
    return {m.marker.id for m in matcher.match(text)}


@pytest.mark.parametrize("text", [
    "Let's split the work between us.",  # a bare "between us" is no secret
    "There's a lot of history between us.",
    "The gap between us is only two years.",
])
def test_a_bare_between_us_is_not_confidentiality(onboarding, text):
    assert "confidentiality" not in fired(onboarding, text)


@pytest.mark.parametrize("text", [
    "Everything we discuss stays between us.",
    "Let's keep this between us.",
    "What you tell me here is confidential.",
])
def test_confidentiality_is_still_heard(onboarding, text):
    assert "confidentiality" in fired(onboarding, text)


def test_a_filler_named_by_a_move_is_heard(onboarding):
    assert "asks-about-you" in fired(onboarding, "Are you okay?")
    assert "agrees" in fired(onboarding, "Yes, of course!")
    assert "agrees" not in fired(onboarding, "Of course not.")
