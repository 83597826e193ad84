"""What the app remembers between runs: theme, practice or assessment, presenter mode, and
whether the first-run introduction was seen.

A small JSON file in the user config folder (`platformdirs.user_config_path("coach")`, or
`$COACH_SETTINGS` for a file of one's own). Reading never fails: a missing file means the
defaults, and a corrupt or unreadable one means the defaults plus a `notice` the app shows.
Knows no Textual.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields
from pathlib import Path

from coach.errors import CoachError

ENV_SETTINGS = "COACH_SETTINGS"
ENV_SERVED = "COACH_SERVED"
"""Set by `coach serve` for the app processes it runs: a browser session starts from the
defaults (with the introduction) and saves nothing into the trainer's settings."""
MODES = ("practice", "assessment")
MAX_BYTES = 64 * 1024  # a settings file is a few lines; anything larger is not ours


def settings_path() -> Path:
    if os.environ.get(ENV_SETTINGS):
        return Path(os.environ[ENV_SETTINGS])
    from platformdirs import user_config_path

    return user_config_path("coach", appauthor=False) / "settings.json"


@dataclass
class Settings:
    theme: str | None = None  # None: Textual's default
    mode: str = "practice"
    presenter: bool = False
    intro_seen: bool = False
    path: Path = field(default_factory=settings_path, repr=False, compare=False)
    notice: str | None = field(default=None, repr=False, compare=False)  # why the defaults were used
    remembered: bool = field(default=True, repr=False, compare=False)  # False: `save` keeps nothing

    @classmethod
    def for_this_run(cls) -> Settings:
        """The user's settings; for a session served to a browser, fresh defaults kept in memory."""
        if os.environ.get(ENV_SERVED):
            return cls(remembered=False)
        return cls.load()

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """The saved settings, or the defaults (with a `notice` if the file could not be used)."""
        path = path or settings_path()
        try:
            if path.stat().st_size > MAX_BYTES:
                return cls(path=path, notice=f"{path} is too large to be coach's settings; using the defaults.")
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return cls(path=path)
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not valid JSON"
            return cls(path=path, notice=f"Could not read the settings in {path} ({reason}); using the defaults.")
        if not isinstance(data, dict):
            return cls(path=path, notice=f"The settings in {path} are not a JSON object; using the defaults.")
        settings, ignored = cls(path=path), []
        for name, wanted in (("theme", str), ("mode", str), ("presenter", bool), ("intro_seen", bool)):
            if name not in data:
                continue
            value = data[name]
            if isinstance(value, wanted) and (name != "mode" or value in MODES):
                setattr(settings, name, value)
            else:
                ignored.append(name)
        if ignored:
            settings.notice = f"Ignored unusable settings in {path}: {', '.join(ignored)}."
        return settings

    def to_dict(self) -> dict[str, object]:
        return {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("path", "notice", "remembered")}

    def save(self) -> None:
        """Write the settings (atomically); a `CoachError` saying why if they cannot be."""
        from coach.files import write_atomic

        if not self.remembered:
            return
        try:
            write_atomic(self.path.parent, self.path.name, json.dumps(self.to_dict(), indent=2) + "\n")
        except OSError as exc:
            raise CoachError(f"could not save the settings to {self.path}: {exc.strerror or exc}") from None
        except CoachError as exc:
            raise CoachError(f"could not save the settings to {self.path}: {exc.problem.message}") from None



