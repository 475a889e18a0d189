"""A bound on how many uploads one session can make the server hold (issue 10).

Streamlit keeps every file a session uploads in memory until the session ends, and its upload
route (`/_stcore/upload_file/<session>/<file id>`) stores a file under any id for any open
session, whether or not the page shows an uploader: `server.maxUploadSize` bounds each file
(the import's 2 MB, .streamlit/config.toml), nothing bounds how many. This keeps each session's
newest MAX_FILES_PER_SESSION files and lets older ones go: the uploader on screen always holds
the newest, and a file already imported or restored is not needed again.
"""

from __future__ import annotations

from typing import Any

from streamlit import runtime
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager

# The import's file and a backup to restore, with one to spare for a file being replaced.
MAX_FILES_PER_SESSION = 3
_BOUNDED = "_dashboard_bounded"


def bound_uploads() -> None:
    """Bound the running server's uploads; called on every run, does its work once per server."""
    if runtime.exists():
        bound_manager(runtime.get_instance().uploaded_file_mgr)


def bound_manager(manager: Any) -> None:
    """Make `manager` keep at most MAX_FILES_PER_SESSION files per session, the newest."""
    if not isinstance(manager, MemoryUploadedFileManager) or getattr(manager, _BOUNDED, False):
        return  # another manager (streamlit is pinned in requirements.txt) is left as it is
    add = manager.add_file

    def add_file(session_id: str, file: Any) -> None:
        add(session_id, file)
        # The manager's own lock is not reentrant, and remove_file takes it: list first, then remove.
        with manager._lock:
            held = list(manager.file_storage.get(session_id, {}))  # oldest first: dicts keep their order
        for file_id in held[:-MAX_FILES_PER_SESSION]:
            manager.remove_file(session_id, file_id)

    manager.add_file = add_file  # type: ignore[method-assign]
    setattr(manager, _BOUNDED, True)
