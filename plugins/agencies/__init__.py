from .agencies import Agency, AgencyGenerator, AgencyMention, load_agency_slugs, register

__all__ = ["Agency", "AgencyGenerator", "AgencyMention", "load_agency_slugs", "register"]
