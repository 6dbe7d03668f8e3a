"""xAPI verb, activity-type and extension IRIs: the one module that names them.

Verbs come from the ADL vocabulary (http://adlnet.gov/expapi/verbs/) as profiled by cmi5, so any
LRS and reporting tool already understands them; activity types likewise.
"""

ADL_VERBS = "http://adlnet.gov/expapi/verbs/"
ADL_ACTIVITIES = "http://adlnet.gov/expapi/activities/"

VERB_REGISTERED = ADL_VERBS + "registered"
VERB_LAUNCHED = ADL_VERBS + "launched"
VERB_INITIALIZED = ADL_VERBS + "initialized"
VERB_PROGRESSED = ADL_VERBS + "progressed"
VERB_ANSWERED = ADL_VERBS + "answered"
VERB_COMPLETED = ADL_VERBS + "completed"
VERB_PASSED = ADL_VERBS + "passed"
VERB_FAILED = ADL_VERBS + "failed"
VERB_SUSPENDED = ADL_VERBS + "suspended"
VERB_RESUMED = ADL_VERBS + "resumed"
VERB_TERMINATED = ADL_VERBS + "terminated"
VERB_VOIDED = ADL_VERBS + "voided"
VERB_ATTENDED = ADL_VERBS + "attended"

VERB_DISPLAY = {
    VERB_REGISTERED: "registered",
    VERB_LAUNCHED: "launched",
    VERB_INITIALIZED: "initialized",
    VERB_PROGRESSED: "progressed",
    VERB_ANSWERED: "answered",
    VERB_COMPLETED: "completed",
    VERB_PASSED: "passed",
    VERB_FAILED: "failed",
    VERB_SUSPENDED: "suspended",
    VERB_RESUMED: "resumed",
    VERB_TERMINATED: "terminated",
    VERB_VOIDED: "voided",
    VERB_ATTENDED: "attended",
}

TYPE_COURSE = ADL_ACTIVITIES + "course"
TYPE_MODULE = ADL_ACTIVITIES + "module"
TYPE_ASSESSMENT = ADL_ACTIVITIES + "assessment"
TYPE_INTERACTION = ADL_ACTIVITIES + "cmi.interaction"
TYPE_SIMULATION = ADL_ACTIVITIES + "simulation"
TYPE_LESSON = ADL_ACTIVITIES + "lesson"
TYPE_MEETING = ADL_ACTIVITIES + "meeting"

# cmi5's progress extension (0-100), used with "progressed".
EXT_PROGRESS = "https://w3id.org/xapi/cmi5/result/extensions/progress"

# Our own context and result extensions (names for extension_iri()).
EXT_AGENCY_SECTOR = "agency-sector"
EXT_JOB_ROLE = "job-role"
EXT_RATING = "decision-rating"
EXT_SECTION = "section-position"
EXT_ATTENDANCE = "attendance"

PLATFORM = "LSCP safeguarding training platform"
LANGUAGE = "en-GB"


def extension_iri(*, site_url: str, name: str) -> str:
    """The IRI of one of our own context extensions, e.g. agency-sector or job-role."""
    return f"{site_url}/xapi/extensions/{name}"


def activity_iri(*, site_url: str, key: str) -> str:
    """A stable activity IRI from an activity key such as "module:42" (ids, never slugs)."""
    return f"{site_url}/xapi/activities/" + "/".join(key.split(":"))
