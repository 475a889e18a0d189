"""A Streamlit session driven the way a browser drives it: protobuf messages over `/_stcore/stream`.

The sign-in abuse tests (tests/hostile/) and load runs use it to be many browsers at once without
starting one. What it speaks, read from the installed Streamlit 1.67:

- the WebSocket is `ws://HOST/_stcore/stream`, sub-protocol `streamlit` (the second and third entries
  of that header carry an XSRF token and a session to resume; a fresh session sends neither);
- the client sends `BackMsg` frames (streamlit/proto/BackMsg.proto): `rerun_script` carries a
  `ClientState` with the query string, the page's script hash and `widget_states`, the values of every
  widget the browser knows, a button's click as `trigger_value` sent once;
- the server answers with `ForwardMsg` frames (streamlit/proto/ForwardMsg.proto): `new_session`,
  `navigation` (the pages, by URL path and script hash), `delta`s (elements and blocks), and
  `script_finished` when the run is over;
- to open another page the browser sends the page's URL path as `page_name` with no script hash
  (streamlit/runtime/pages_manager.py resolves it);
- a browser keeps the large elements it has received (`metadata.cacheable`, 10 kB and more) and names
  their hashes in `cached_message_hashes`; the server then sends a `ref_hash` in their place. This client
  does the same, dropping what a run has not used for `max_cached_message_age` runs as the browser does,
  so that a load run costs the server what browsers cost it.

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
    # How the run ended: "FINISHED_SUCCESSFULLY", or what went wrong ("FINISHED_WITH_COMPILE_ERROR").
    status: str = ""
    # Elements the server sent as a reference to one this session already had.
    cached_elements: int = 0
    # Bytes received for this run, and the largest message among them.
    received_bytes: int = 0
    largest_message: int = 0


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
        # The URL path of the page to open with the next run ("" once the server has named its hash).
        self.page_name = ""
        self.session_id = ""
        # The app's pages from the last `navigation` message: URL path → script hash, and the paths of
        # those the navigation shows, in its order.
        self.pages: dict[str, str] = {}
        self.visible_pages: list[str] = []
        # The browser's message cache: hash → the message, and the runs since it was last used.
        self._cache: dict[str, ForwardMsg] = {}
        self._cache_age: dict[str, int] = {}
        self._max_cache_age = 2
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
            # A browser sends no pings of its own (it answers the server's). With the client's default
            # pings, a server too busy to answer within 20 s was counted as a disconnect no browser sees.
            ping_interval=None,
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
            page_name=self.page_name,
            widget_states=WidgetStates(widgets=states),
            cached_message_hashes=sorted(self._cache),
        )
        started = time.monotonic()
        self._socket.send(BackMsg(rerun_script=state).SerializeToString())
        self.last = self._read_run()
        self.last.seconds = time.monotonic() - started
        return self.last

    def open(self, url_path: str) -> Run:
        """Go to another page, as the browser does for a link to `/url_path` ("" for the default page).

        The widgets of the page left behind are forgotten, as the browser forgets them."""
        self.page_script_hash = ""
        self.page_name = url_path
        self._values.clear()
        return self.run()

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
        received = largest = 0
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
            received += len(frame)
            largest = max(largest, len(frame))
            kind = message.WhichOneof("type")
            if kind == "ref_hash":
                run.cached_elements += 1
                message = self._cached(message)
                kind = message.WhichOneof("type")
            elif message.metadata.cacheable:
                self._cache[message.hash] = message
                self._cache_age[message.hash] = -1  # used by this run: aged to 0 at its end
            if kind == "new_session":
                self.session_id = message.new_session.initialize.session_id or self.session_id
                self.page_script_hash = message.new_session.page_script_hash or self.page_script_hash
                self._max_cache_age = message.new_session.config.max_cached_message_age or self._max_cache_age
                run = Run()  # a run that st.rerun() restarted: only the last one's elements count
            elif kind == "navigation":
                app_pages = message.navigation.app_pages
                self.pages = {page.url_pathname: page.page_script_hash for page in app_pages}
                self.visible_pages = [page.url_pathname for page in app_pages if not page.is_hidden]
                self.page_script_hash = message.navigation.page_script_hash or self.page_script_hash
                self.page_name = ""  # the server has named the page: the next run asks for it by hash
            elif kind == "page_not_found":
                run.exceptions.append(f"page not found: {message.page_not_found.page_name or self.page_name}")
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                _take(run, message.delta.new_element)
            elif kind == "script_finished":
                if message.script_finished != _EARLY:
                    run.status = ForwardMsg.ScriptFinishedStatus.Name(message.script_finished)
                    run.received_bytes, run.largest_message = received, largest
                    self._age_cache()
                    return run

    def _cached(self, reference: ForwardMsg) -> ForwardMsg:
        try:
            original = self._cache[reference.ref_hash]
        except KeyError:
            missing = reference.ref_hash
            raise StreamlitProtocolError(f"the server referred to an element never sent: {missing}") from None
        self._cache_age[reference.ref_hash] = -1  # used by this run: aged back to 0 at its end
        message = ForwardMsg()
        message.CopyFrom(original)
        message.metadata.CopyFrom(reference.metadata)
        return message

    def _age_cache(self) -> None:
        """What the browser does at the end of a run (frontend ForwardMsgCache.incrementRunCount)."""
        for hash_, age in list(self._cache_age.items()):
            if age + 1 > self._max_cache_age:
                del self._cache[hash_], self._cache_age[hash_]
            else:
                self._cache_age[hash_] = age + 1


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
