"""A Streamlit session driven the way a browser drives it: protobuf messages over `/_stcore/stream`.

The sign-in abuse tests (tests/hostile/) and load runs use it to be many browsers at once without
starting one. What it speaks, read from the installed Streamlit 1.67:

- the WebSocket is `ws://HOST/_stcore/stream`, sub-protocol `streamlit` (the second and third entries
  of that header carry an XSRF token and a session to resume; a fresh session sends neither);
- the client sends `BackMsg` frames (streamlit/proto/BackMsg.proto): `rerun_script` carries a
  `ClientState` with the query string, the page's script hash and `widget_states`, the values of every
  widget the browser knows, a button's click as `trigger_value` sent once;
- the server answers with `ForwardMsg` frames (streamlit/proto/ForwardMsg.proto): `new_session`,
  `delta`s (elements and blocks), and `script_finished` when the run is over.

Streamlit 1.67 serves with uvicorn and depends on the `websockets` package (not tornado any more):
its synchronous client is used here, one thread per session.

    with StreamlitSession("http://127.0.0.1:8501") as session:
        session.run()
        session.set("sign_in_login", "maria")
        session.set("sign_in_password", "…")
        answer = session.click("sign_in_submit")
        print(answer.errors)
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from streamlit.proto.Alert_pb2 import Alert
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.Element_pb2 import Element
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetState, WidgetStates
from websockets.sync.client import ClientConnection, connect

# A rerun that stops early for st.rerun() is followed by another run: the answer is the last one's.
_EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN
# Element kinds whose `body` is text a user reads.
_TEXT_KINDS = {"markdown": "body", "heading": "body", "text": "body", "code": "code_text"}


class StreamlitProtocolError(RuntimeError):
    """The server closed the stream or answered something a browser would not understand."""


@dataclass
class Widget:
    """A widget the last run drew: its id (what `widget_states` names), its kind and its form."""

    id: str
    kind: str
    label: str
    form_id: str


@dataclass
class Run:
    """What one script run drew, in order."""

    texts: list[str] = field(default_factory=list)
    alerts: list[str] = field(default_factory=list)
    # The alerts drawn with st.error, the answer to something that went wrong.
    errors: list[str] = field(default_factory=list)
    widgets: dict[str, Widget] = field(default_factory=dict)
    exceptions: list[str] = field(default_factory=list)
    # The seconds from sending the rerun to the end of the run.
    seconds: float = 0.0


def _user_key(element_id: str) -> str:
    # Element ids are "$$ID-<hash>-<key>" (streamlit/elements/lib/utils.py); "None" when no key was given.
    return element_id.rsplit("-", 1)[-1]


class StreamlitSession:
    """One browser tab: a WebSocket session on a running Streamlit server."""

    def __init__(
        self,
        base_url: str,
        *,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
        query_string: str = "",
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.query_string = query_string
        self.page_script_hash = ""
        self.session_id = ""
        # What the browser would send with every rerun: the values set so far, by widget id.
        self._values: dict[str, WidgetState] = {}
        self.last: Run = Run()
        stream_url = self.base_url.replace("http://", "ws://", 1).replace("https://", "wss://", 1)
        # websockets 17 wants its connection entered as a context manager; this session is one.
        self._stack = ExitStack()
        connection = connect(
            f"{stream_url}/_stcore/stream",
            subprotocols=["streamlit"],  # type: ignore[list-item]
            additional_headers=headers or {},
            open_timeout=timeout,
            max_size=None,
            proxy=None,
        )
        self._socket: ClientConnection = self._stack.enter_context(connection)

    def __enter__(self) -> StreamlitSession:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    # --- what a user does ---------------------------------------------------------------------

    def run(self, triggers: tuple[str, ...] = ()) -> Run:
        """Rerun the script with the values set so far (and `triggers`, widget ids clicked once)."""
        states = list(self._values.values()) + [WidgetState(id=i, trigger_value=True) for i in triggers]
        state = ClientState(
            query_string=self.query_string,
            page_script_hash=self.page_script_hash,
            widget_states=WidgetStates(widgets=states),
        )
        started = time.monotonic()
        self._socket.send(BackMsg(rerun_script=state).SerializeToString())
        self.last = self._read_run()
        self.last.seconds = time.monotonic() - started
        return self.last

    def widget(self, key: str) -> Widget:
        """The widget with this user key in the last run."""
        try:
            return self.last.widgets[key]
        except KeyError:
            raise StreamlitProtocolError(f"no widget with key {key!r}; drawn: {sorted(self.last.widgets)}") from None

    def set(self, key: str, value: str | bool | int | float) -> None:
        """Type into or choose in a widget; sent with the next run, as a browser sends it."""
        widget_id = self.widget(key).id
        if isinstance(value, bool):
            self._values[widget_id] = WidgetState(id=widget_id, bool_value=value)
        elif isinstance(value, int):
            self._values[widget_id] = WidgetState(id=widget_id, int_value=value)
        elif isinstance(value, float):
            self._values[widget_id] = WidgetState(id=widget_id, double_value=value)
        else:
            self._values[widget_id] = WidgetState(id=widget_id, string_value=value)

    def click(self, key: str) -> Run:
        """Press a button (a form's submit button sends the form's values with it) and wait for the answer."""
        return self.run(triggers=(self.widget(key).id,))

    # --- what the server sends ----------------------------------------------------------------

    def _read_run(self) -> Run:
        run = Run()
        deadline = time.monotonic() + self.timeout
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no end of the script run within {self.timeout} s")
            try:
                frame = self._socket.recv(timeout=remaining)
            except TimeoutError:
                raise TimeoutError(f"no end of the script run within {self.timeout} s") from None
            except Exception as error:  # the stream closed: the server went away or refused us
                raise StreamlitProtocolError(f"the stream closed: {error}") from error
            if isinstance(frame, str):
                raise StreamlitProtocolError("the server sent a text frame; Streamlit sends protobuf")
            message = ForwardMsg()
            message.ParseFromString(frame)
            kind = message.WhichOneof("type")
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
                self.page_script_hash = message.new_session.page_script_hash or self.page_script_hash
                run = Run()  # a run that st.rerun() restarted: only the last one's elements count
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _take(run, message.delta.new_element)
            elif kind == "script_finished":
                if message.script_finished != _EARLY:
                    return run


def _take(run: Run, element: Element) -> None:
    kind = element.WhichOneof("type")
    if kind is None:
        return
    body: Any = getattr(element, kind)
    if kind == "exception":
        run.exceptions.append(f"{body.type}: {body.message}")
    elif kind == "alert":
        run.alerts.append(body.body)
        run.texts.append(body.body)
        if body.format == Alert.Format.ERROR:
            run.errors.append(body.body)
    elif kind in _TEXT_KINDS:
        run.texts.append(getattr(body, _TEXT_KINDS[kind]))
    if hasattr(body, "id") and hasattr(body, "label") and body.id:
        run.widgets[_user_key(body.id)] = Widget(
            id=body.id, kind=kind, label=body.label, form_id=getattr(body, "form_id", "")
        )
