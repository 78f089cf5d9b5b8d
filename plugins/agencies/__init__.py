from .agencies import (
    AGENCY_DEFAULTS,
    Agency,
    AgencyGenerator,
    AgencyMention,
    load_agency_slugs,
    register,
)
from .former_names import FormerName, parse_former_names

__all__ = [
    "AGENCY_DEFAULTS",
    "Agency",
    "AgencyGenerator",
    "AgencyMention",
    "FormerName",
    "load_agency_slugs",
    "parse_former_names",
    "register",
]
