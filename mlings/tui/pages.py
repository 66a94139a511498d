"""Views that show one thing and go back: messages, a question, lessons, the solution, plots."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

from rich.console import Group
from rich.syntax import Syntax
from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.widgets import Markdown, MarkdownViewer, Static

from mlings import render

BACK = Binding("escape,q", "dismiss", "back", show=False)


def back_line(text: str = "Esc or q goes back") -> Static:
    return Static(Text(text, style="dim"), classes="back")


class MessageScreen(ModalScreen[None]):
    """A course message (welcome, the end) in a frame over the exercise; any key closes it.

    The key is passed on to ``then``, so a learner who presses ``h`` at once gets a hint too.
    """

    DEFAULT_CSS = """
    MessageScreen { align: center middle; }
    MessageScreen > Vertical {
        width: 90%; max-width: 100; height: auto; max-height: 90%;
        border: round $accent; padding: 0 1; background: $surface;
    }
    MessageScreen VerticalScroll { height: auto; max-height: 100%; }
    MessageScreen .back { height: 1; }
    """

    def __init__(self, text: str, prompt: str, then: Callable[[str], None] | None = None) -> None:
        super().__init__()
        self.text = text
        self.prompt = prompt
        self.then = then

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll(can_focus=False):
                yield Markdown(self.text)
            yield back_line(self.prompt)

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss()
        if self.then is not None:
            self.app.call_later(self.then, event.key)


class ConfirmScreen(ModalScreen[bool]):
    """A yes/no question: y answers yes, any other key no."""

    DEFAULT_CSS = """
    ConfirmScreen { align: center middle; }
    ConfirmScreen > Static {
        width: 80%; max-width: 80; height: auto; border: round $warning; padding: 0 1;
        background: $surface;
    }
    """

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        yield Static(Text(self.question, style="bold"))

    def on_key(self, event: events.Key) -> None:
        event.stop()
        self.dismiss(event.key == "y")


class LessonScreen(Screen[None]):
    """A module's lesson in Textual's Markdown viewer, with its table of contents."""

    DEFAULT_CSS = """
    LessonScreen MarkdownViewer { height: 1fr; }
    LessonScreen .back { height: 1; padding: 0 1; }
    """
    BINDINGS = [BACK, Binding("t", "contents", "contents", show=False)]  # noqa: RUF012

    def __init__(self, module: str, text: str) -> None:
        super().__init__()
        self.module = module
        self.text = text

    def compose(self) -> ComposeResult:
        yield Static(Text(f"Lesson · {self.module}", style="bold"), classes="back")
        yield MarkdownViewer(self.text, show_table_of_contents=False)
        yield back_line("↑/↓ PgUp/PgDn scroll · t contents · Esc or q goes back")

    def on_mount(self) -> None:
        self.query_one(MarkdownViewer).focus()

    def action_contents(self) -> None:
        viewer = self.query_one(MarkdownViewer)
        viewer.show_table_of_contents = not viewer.show_table_of_contents


class SolutionScreen(Screen[None]):
    """The reference solution as a diff against the learner's file."""

    DEFAULT_CSS = """
    SolutionScreen VerticalScroll { height: 1fr; padding: 0 1; }
    SolutionScreen .back { height: auto; padding: 0 1; }
    """
    BINDINGS = [BACK]  # noqa: RUF012

    def __init__(self, name: str, diff: str, full: Path, root: Path) -> None:
        super().__init__()
        self.exercise_name = name
        self.diff = diff
        self.full = full
        self.root = root

    def compose(self) -> ComposeResult:
        heading = Text(f"{self.exercise_name} · your version against the reference", style="bold")
        yield Static(heading, classes="back")
        with VerticalScroll():
            if self.diff:
                yield Static(Syntax(self.diff, "diff", theme="ansi_dark", word_wrap=True))
            else:
                yield Static("Your version is identical to the reference solution.")
        footer = Text("The full solution: ") + render.link(self.full, self.root)
        yield Static(Group(footer, Text("Esc or q goes back", style="dim")), classes="back")

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


class PlotScreen(Screen[None]):
    """The figures an exercise drew: in the terminal where it can show images, always as paths."""

    DEFAULT_CSS = """
    PlotScreen VerticalScroll { height: 1fr; padding: 0 1; }
    PlotScreen .plot { height: 24; width: auto; }
    PlotScreen .back { height: auto; padding: 0 1; }
    """
    BINDINGS = [BACK]  # noqa: RUF012

    def __init__(self, plots: list[Path], root: Path) -> None:
        super().__init__()
        self.plots = plots
        self.root = root

    def compose(self) -> ComposeResult:
        yield Static(Text("Your plots", style="bold"), classes="back")
        with VerticalScroll():
            for plot in self.plots:
                yield Static(render.link(plot, self.root))
                image = _image_widget(plot)
                if image is not None:
                    yield image
        tip = "Open a path to see a plot full size · Esc or q goes back"
        if "textual_image.widget" not in sys.modules:
            tip = "This terminal shows no images: open a path to see a plot · Esc or q goes back"
        yield back_line(tip)

    def on_mount(self) -> None:
        self.query_one(VerticalScroll).focus()


GRAPHIC_TERMINALS = ("kitty", "wezterm", "iterm", "ghostty", "konsole", "foot", "mlterm", "contour")


def prepare_images() -> bool:
    """Load textual-image where the terminal says it shows images; True if it was loaded.

    textual-image asks the terminal what it supports when it is imported, which works only
    before Textual starts and costs a timeout where no answer comes; so it is loaded up front,
    and only in terminals that name themselves as able to show images.
    """
    names = " ".join(os.environ.get(v, "") for v in ("TERM", "TERM_PROGRAM", "LC_TERMINAL"))
    if not any(name in names.lower() for name in GRAPHIC_TERMINALS):
        return False
    try:
        import textual_image.widget  # noqa: F401 (loaded for the plot view)
    except Exception:  # no answer from the terminal, or no textual-image: paths only
        return False
    return True


def _image_widget(path: Path) -> Widget | None:
    """An image widget for a raster file, where ``prepare_images`` loaded textual-image."""
    module = sys.modules.get("textual_image.widget")
    if module is None or path.suffix.lower() not in {".png", ".jpg", ".jpeg", ".gif"}:
        return None
    try:
        return module.Image(path, classes="plot")
    except Exception:  # a file that is not an image after all: the path is enough
        return None
