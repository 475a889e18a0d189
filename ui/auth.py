"""Who is using the app: a local account, a school account through OpenID Connect, or nobody (a viewer)."""

from __future__ import annotations

import os

import streamlit as st

from db import queries
from db.access import ANONYMOUS, Actor
from db.accounts import MAX_LOGIN, MAX_PASSWORD, TooManyAttempts, authenticate
from i18n import Translator
from i18n.problems import describe_problem
from ui.data import fresh, write_engine
from ui.faults import DATABASE_ERRORS, fault_or_raise, say_fault
from ui.safe import md
from ui.turns import sleep_without_turn

ACTOR_KEY = "_actor"


def login_required() -> bool:
    """DASHBOARD_REQUIRE_LOGIN=1 hides the record from anyone who has not logged in."""
    return os.environ.get("DASHBOARD_REQUIRE_LOGIN", "").lower() in {"1", "true", "yes"}


def _school_accounts_configured() -> bool:
    try:
        return "auth" in st.secrets
    except FileNotFoundError:
        return False


def _client() -> str | None:
    """The address the browser's connection came from (None for this machine): guessing is slowed per
    address too. Behind a reverse proxy it is the proxy's, unless the proxy sends X-Forwarded-For from an
    address uvicorn trusts (127.0.0.1 with --server.address 127.0.0.1, or FORWARDED_ALLOW_IPS; README)."""
    address = st.context.ip_address
    return address if isinstance(address, str) else None  # AppTest has no connection: not a string


def current_actor() -> Actor:
    """The logged-in actor, or the anonymous viewer."""
    actor = st.session_state.get(ACTOR_KEY)
    if isinstance(actor, Actor):
        return actor
    if _school_accounts_configured() and st.user.is_logged_in and st.user.get("email"):
        email = str(st.user["email"]).lower()
        return Actor(email, fresh(queries.role_of, email), fresh(queries.school_of, email))
    return ANONYMOUS


def account_sidebar(t: Translator) -> Actor:
    """Log in or out in the sidebar; returns who is using the app now."""
    actor = current_actor()
    sidebar = st.sidebar
    if actor is not ANONYMOUS:
        sidebar.caption(t("auth.signed_in", login=md(actor.login), role=t(f"user_role.{actor.role}")))
        if sidebar.button(t("auth.sign_out"), icon=":material/logout:", key="sign_out"):
            st.session_state.pop(ACTOR_KEY, None)
            # st.user has no is_logged_in unless [auth] is configured: a local account signs out without it.
            if _school_accounts_configured() and st.user.is_logged_in:
                st.logout()
            st.rerun()
        return actor
    with sidebar.expander(t("auth.sign_in"), icon=":material/login:"):
        with st.form("sign_in", border=False):
            login = st.text_input(t("field.login"), key="sign_in_login", max_chars=MAX_LOGIN)
            password = st.text_input(
                t("field.password"), type="password", key="sign_in_password", max_chars=MAX_PASSWORD
            )
            submitted = st.form_submit_button(t("auth.sign_in"), key="sign_in_submit")
        if submitted:
            try:
                signed_in = authenticate(
                    engine=write_engine(),
                    login=login,
                    password=password,
                    client=_client(),
                    sleep=sleep_without_turn,  # a sign-in's delay must not hold up the viewers' pages
                )
            except TooManyAttempts as busy:
                st.error(describe_problem(t, busy.problems[0]))
            except DATABASE_ERRORS as error:
                # Signing in writes (failures are counted): a read-only database or a full disk says so.
                say_fault(t, fault_or_raise(error))
                return actor
            else:
                if signed_in is None:
                    st.error(t("auth.failed"))
                else:
                    st.session_state[ACTOR_KEY] = signed_in
                    st.rerun()
        if _school_accounts_configured():
            st.button(t("auth.school_account"), on_click=st.login, icon=":material/school:")
    return actor
