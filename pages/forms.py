"""Admin forms shared by page models: posted text with "\\n" line endings."""

from wagtail.admin.forms import WagtailAdminPageForm

from config.safe_yaml import text_normalised


def posted_text_normalised(data):
    """A copy of posted form data (a QueryDict) with every text value passed through
    text_normalised; anything else is returned as it is.

    Browsers send every text area with "\\r\\n" line endings (HTML's form encoding); storing
    "\\n" keeps exports readable and revision comparisons to real changes.
    """
    if not hasattr(data, "lists"):
        return data
    data = data.copy()
    for name, values in data.lists():
        data.setlist(name, [text_normalised(v) if isinstance(v, str) else v for v in values])
    return data


class NormalisedTextPageForm(WagtailAdminPageForm):
    """The page edit form, storing text areas (fields and stream blocks) with "\\n" only."""

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(posted_text_normalised(data), *args, **kwargs)
