"""The names the simulator shares with the Python tools, read from models/names.json.

models/names.json is `spmc names --json`, committed (CTest models.names keeps it equal to the
binary's output).  Every tool here spells an event or an invariant through this module, so a
misspelt or retired name fails loudly (KeyError / ValueError) instead of silently matching
nothing.
"""
import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
PATH = os.path.join(HERE, "names.json")

with open(PATH) as _f:
    NAMES = json.load(_f)

ABSTRACT_EVENTS = dict(NAMES["abstract_events"])  # name -> code (models/common/events.pml)
PRINCIPALS = dict(NAMES["principals"])            # name -> code
PHONE_EVENTS = list(NAMES["phone_events"])
INVARIANTS = list(NAMES["invariants"])


def _known(kind, name, table):
    if name not in table:
        raise KeyError("unknown %s %r (not in %s; regenerate it with `spmc names --json`)"
                       % (kind, name, PATH))
    return name


def event(name):
    """An abstract model event name (msg_send, cert_issue, ...), checked."""
    return _known("abstract event", name, ABSTRACT_EVENTS)


def events(*names):
    """A set of abstract event names, each checked."""
    return frozenset(event(n) for n in names)


def invariant(name):
    """A simulator invariant name (exactly_once_delivery, ...), checked."""
    return _known("invariant", name, INVARIANTS)


def phone_trace_kind(name):
    """The full trace's `ev` for phone event `name` (msg_send -> ph_msg_send), checked."""
    return NAMES["phone_trace_prefix"] + _known("phone event", name, PHONE_EVENTS)


def check_event(name):
    """For names read from a trace: ValueError (a usage error for the tools) if unknown."""
    if name not in ABSTRACT_EVENTS:
        raise ValueError("unknown abstract event %r (models/names.json)" % name)
    return name
