"""The "Add to LinkedIn" link on an individual signatory's page: LinkedIn's Add to Profile
for certifications (paths.LINKEDIN_ADD_TO_PROFILE), which opens the member's own profile
with the certification filled in, to save or to change.

Only an active individual's page has one: an organisation's people did not sign, and a
withdrawn signatory holds nothing. The parameters are LinkedIn's ("Add to Profile for
Certifications"): `startTask=CERTIFICATION_NAME`; `name`, the certification (the Open
Badges BadgeClass's name of the newest version signed); the issuer as `organizationId`
when registry.yaml's linkedin_organization_id gives it (LinkedIn then shows the issuer's
logo and links its page), else as `organizationName` (issuer_name, shown as text);
`issueYear` and `issueMonth` of that version's signature; `certUrl`, the signatory's page;
`certId`, its slug. Every value is percent-encoded whole (urlencode with quote: a space is
%20, '&', '=', '#' and '+' are escaped), so LinkedIn reads back exactly what it is given.
"""

from __future__ import annotations

from typing import Final
from urllib.parse import quote, urlencode

from socialmission.model import paths
from socialmission.model.constants import INDIVIDUAL
from socialmission.model.openbadges import badge_class_name
from socialmission.model.pledge import Pledge
from socialmission.model.settings import Settings

START_TASK: Final = "CERTIFICATION_NAME"  # Add to Profile's task: add a certification


def add_to_profile_url(pledge: Pledge, base: str, settings: Settings) -> str | None:
    """The signatory's Add to Profile address, or None for a page that offers none."""
    if not pledge.active or pledge.kind != INDIVIDUAL:
        return None
    version = pledge.current_version
    day = pledge.signed_on(version) or pledge.current.signed  # the current signature's
    issuer = {"organizationName": settings.issuer_name} \
        if settings.linkedin_organization_id is None \
        else {"organizationId": str(settings.linkedin_organization_id)}
    query = {"startTask": START_TASK, "name": badge_class_name(settings.mission_name, version),
             **issuer, "issueYear": str(day.year), "issueMonth": str(day.month),
             "certUrl": paths.page_url(base, pledge.slug), "certId": pledge.slug}
    return f"{paths.LINKEDIN_ADD_TO_PROFILE}?{urlencode(query, quote_via=quote)}"
