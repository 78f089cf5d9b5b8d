from .agencies import (
    AGENCY_DEFAULTS,
    Agency,
    AgencyGenerator,
    AgencyMention,
    load_agency_slugs,
    profile_problems,
    register,
    unknown_agency_problem,
)
from .former_names import FormerName, parse_former_names

__all__ = [
    "AGENCY_DEFAULTS",
    "Agency",
    "AgencyGenerator",
    "AgencyMention",
    "FormerName",
    "load_agency_slugs",
    "profile_problems",
    "parse_former_names",
    "register",
    "unknown_agency_problem",
]
