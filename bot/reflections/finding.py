"""One identifying detail the privacy guard found: what kind, where, how sure, and what to put
in its place. Only the span is kept, never the matched text, so a Finding is safe to log."""

from __future__ import annotations

from dataclasses import dataclass

# What a one-click redaction puts in place of each kind.
REDACTIONS = {
    "name": "[child]",
    "date_of_birth": "[date of birth]",
    "nhs_number": "[NHS number]",
    "phone": "[phone number]",
    "email": "[email]",
    "address": "[address]",
    "postcode": "[postcode]",
    "case_reference": "[case reference]",
    "vehicle_registration": "[vehicle]",
    "social_handle": "[social media account]",
    "school_or_gp_with_child": "[school]",
}


@dataclass(frozen=True)
class Finding:
    """A detail that could identify someone: `certain` ones are refused, uncertain ones asked about."""

    kind: str
    start: int
    end: int
    message: str
    certain: bool = True
    redaction: str = ""

    def replacement(self) -> str:
        """What a one-click redaction writes in place of this detail."""
        return self.redaction or REDACTIONS.get(self.kind, "[removed]")
