"""Template tags and filters for course pages."""

from django import template
from django.utils.html import conditional_escape

from config.reverse import reverse_memo
from courses.blocks import markdown_html

register = template.Library()


@register.simple_tag
def block_url(viewname: str, page_id: int, block_id: str) -> str:
    """The URL of a view taking a page and a block id: ``{% url %}``, memoised per process."""
    return reverse_memo(viewname, page_id, block_id)


class ModuleBlockNode(template.Node):
    """A module block with the learner's state, rendered in the page's own context.

    It gives the block's template what ``{% include_block item.block with state=item.state
    block_id=item.block.id %}`` gives it (the page's variables, ``value``, ``self``, ``state``,
    ``block_id`` and the block's own ``get_context``), rendered the way ``{% include %}``
    renders: on the page's context with the block's variables pushed on top, and with number
    and date localisation as in a template of its own (the page turns it off for its ids).
    Wagtail's tag copies the whole page context twice for every block and renders it as a new
    template context; on a module page of seven blocks that was about 2% of the request. The
    block's ``get_context``, ``get_template`` and ``render_basic`` see ``state``, ``block_id``,
    ``page`` and ``request``, not the whole page context.
    """

    def __init__(self, item):
        self.item = item

    def render(self, context):
        item = self.item.resolve(context, ignore_failures=True)
        if item is None:
            return ""  # as include_block renders a missing variable
        child = item.block
        block = child.block
        own = {
            "state": item.state,
            "block_id": child.id,
            "page": context.get("page"),
            "request": context.get("request"),
        }
        names = block.get_template(child.value, context=own)
        if not names:
            return conditional_escape(block.render_basic(child.value, context=own))
        templates = context.render_context.dicts[0].setdefault(self, {})
        key = names if isinstance(names, str) else tuple(names)
        compiled = templates.get(key)
        if compiled is None:
            engine = context.template.engine
            compiled = templates[key] = (
                engine.get_template(names)
                if isinstance(names, str)
                else engine.select_template(names)
            )
        use_l10n, context.use_l10n = context.use_l10n, None
        try:
            with context.push(block.get_context(child.value, parent_context=own)):
                return compiled.render(context)
        finally:
            context.use_l10n = use_l10n


@register.tag
def module_block(parser, token):
    """``{% module_block item %}``: render a ``BlockItem`` from ``module_view``."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("module_block takes one argument: a block item")
    return ModuleBlockNode(parser.compile_filter(bits[1]))


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Render Markdown as sanitised HTML."""
    return markdown_html(text)


@register.filter
def duration(minutes: int) -> str:
    """Minutes as "1 hour 30 minutes"."""
    hours, rest = divmod(int(minutes or 0), 60)
    parts = []
    if hours:
        parts.append(f"{hours} hour{'s' if hours != 1 else ''}")
    if rest or not hours:
        parts.append(f"{rest} minute{'s' if rest != 1 else ''}")
    return " ".join(parts)
