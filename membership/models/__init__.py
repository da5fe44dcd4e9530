"""Membership models: snippets, election data, enquiries and pages.

Everything is re-exported here, so other apps keep importing ``membership.models``.
"""

from .elections import (
    ControlChange,
    ControlType,
    CouncillorChange,
    ElectionResult,
    OutcomeType,
    classify_outcome,
)
from .enquiries import JoinEnquiry
from .pages import (
    DPSPage,
    ElectionOutcomesPage,
    MemberDirectoryPage,
    MembershipPage,
    PrinciplesPage,
)
from .snippets import (
    LISTED_TIERS,
    Commitment,
    DPSSupplier,
    DPSSupplierSpecialism,
    MemberCouncil,
    MemberCouncilQuerySet,
    MemberKind,
    Nation,
    Principle,
    Tier,
    gss_code_validator,
)

__all__ = [
    "LISTED_TIERS",
    "Commitment",
    "ControlChange",
    "ControlType",
    "CouncillorChange",
    "DPSPage",
    "DPSSupplier",
    "DPSSupplierSpecialism",
    "ElectionOutcomesPage",
    "ElectionResult",
    "JoinEnquiry",
    "MemberCouncil",
    "MemberCouncilQuerySet",
    "MemberDirectoryPage",
    "MemberKind",
    "MembershipPage",
    "Nation",
    "OutcomeType",
    "Principle",
    "PrinciplesPage",
    "Tier",
    "classify_outcome",
    "gss_code_validator",
]
