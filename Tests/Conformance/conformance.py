#!/usr/bin/env python3
"""Conformance of the Coze simulator against the official Python SDK.

Drives a running `coze-audit simulate` through cozepy's own public API (pinned in
Tests/Conformance/setup-venv) and compares what comes back with expectations computed here, from
the scenario JSON, by an independent Python implementation of the visibility rules of docs/product.md §6.
Only the calls cozepy cannot make (the conversation list's `connector_id`) and the envelope/field
checks that cozepy's models would hide go through plain HTTP (urllib); docs/api-coverage.md lists
them.

  conformance.py check --base-url URL [--scenario FILE] [--summary FILE] [--min-checks N]
                       [--jwt-base-url URL --jwt-scenario FILE --jwt-app FILE]
  conformance.py write-jwt-scenario --scenario FILE --out-dir DIR
  conformance.py write-control-scenario KIND --scenario FILE --out FILE --expect-out FILE --fails-out FILE
                                        --min-checks N
  conformance.py judge-control KIND --fails FILE --output FILE --rc N
  conformance.py list-controls

`check` prints one line per check (`ok   NAME` or `FAIL NAME: why`) and exits 0 when all pass,
1 when any fails, 2 on a usage error or a crash of the script itself. It ends with two floor
checks: every listing kind was compared with at least one expected item, and (with --min-checks)
at least N checks ran. `write-*` prepare scenarios for Tests/Conformance/run: the JWT app scenario
(a fresh RSA key pair) and the negative controls (CONTROLS: the scenario the simulator serves, the
one the expectations come from, and the exact checks that must fail); `judge-control` decides
whether a control's `check` run failed exactly those checks.
"""

import argparse
import contextlib
import io
import json
import math
import os
import sys
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from enum import Enum

# Loopback only: never let an environment proxy see the simulator's traffic.
os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
DEFAULT_SCENARIO = os.path.join(ROOT, "Sources", "CozeSimulator", "Scenarios", "migrated-account.json")

# authlib (a cozepy dependency) prints a deprecation warning on import with its own filter.
with contextlib.redirect_stderr(io.StringIO()):
    import cozepy
    from cozepy import (
        Coze,
        CozeAPIError,
        CozePKCEAuthError,
        CozePKCEAuthErrorType,
        DeviceOAuthApp,
        JWTAuth,
        JWTOAuthApp,
        SyncHTTPClient,
        TokenAuth,
        VoiceState,
    )
    from cozepy.bots import PublishStatus
    from cozepy.workflows import WorkflowMode


def _pinned_cozepy():
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "requirements.txt"), encoding="utf-8") as f:
        return next(line.split("==", 1)[1].strip() for line in f if line.startswith("cozepy=="))


PINNED_COZEPY = _pinned_cozepy()  # Tests/Conformance/requirements.txt
HTTP_TIMEOUT = 10.0


# --------------------------------------------------------------------------------------------
# Expectations: docs/product.md §6 in Python, from the scenario JSON only (no simulator code involved).
# --------------------------------------------------------------------------------------------


class Principal:
    """Who a token acts for: a scenario credential or a JWT app's token."""

    def __init__(self, name, token, account_id, scope="all", denied=(), grant=None, user_id=None, valid=True):
        self.name = name
        self.token = token
        self.account_id = account_id
        self.scope = scope
        self.denied = set(denied or [])
        self.grant = grant
        self.user_id = user_id
        self.valid = valid

    def in_scope(self, workspace_id):
        return self.scope == "all" or workspace_id in self.scope

    def resource_accounts(self):
        accounts = {self.account_id}
        if self.grant:
            accounts.add(self.grant)
        return accounts


class Tenant:
    """The scenario and the docs/product.md §6 rules over it."""

    def __init__(self, scenario, now=None):
        self.scenario = scenario
        self.now = int(time.time()) if now is None else now
        self.accounts = {a["id"]: a for a in scenario.get("accounts", [])}
        self.workspaces = scenario.get("workspaces", [])
        self.bots = scenario.get("bots", [])
        self.conversations = scenario.get("conversations", [])
        self.voices = scenario.get("voices", [])
        self.apps = scenario.get("apps", [])
        self.workflows = scenario.get("workflows", [])

    # principals ------------------------------------------------------------------------------

    def credential(self, cred):
        expired = cred.get("expires_at") is not None and cred["expires_at"] <= self.now
        return Principal(
            name=cred["name"],
            token=cred["token"],
            account_id=cred["account_id"],
            scope=cred.get("workspace_scope", "all"),
            denied=cred.get("denied_endpoints", []),
            grant=cred.get("personal_account_grant"),
            user_id=cred.get("user_id"),
            valid=cred.get("status", "active") == "active" and not expired,
        )

    def principals(self):
        return [self.credential(c) for c in self.scenario.get("credentials", [])]

    def jwt_principal(self, app, token):
        return Principal(
            name=app["name"],
            token=token,
            account_id=app.get("account_id") or app.get("enterprise_id"),
            scope=app.get("workspace_scope", "all"),
            denied=app.get("denied_endpoints", []),
            grant=app.get("personal_account_grant"),
            user_id=app.get("user_id"),
        )

    # identity --------------------------------------------------------------------------------

    def is_enterprise(self, account_id):
        return self.accounts.get(account_id, {}).get("type") == "enterprise"

    def account_user_id(self, account_id):
        """The Coze UID an account acts as: an upgraded enterprise acts as its personal UID."""
        account = self.accounts.get(account_id, {})
        if account.get("type") == "enterprise" and account.get("personal_account_id"):
            return account["personal_account_id"]
        return account_id

    def user_id(self, p):
        return p.user_id or self.account_user_id(p.account_id)

    def nick_name(self, p):
        account = self.accounts.get(self.user_id(p)) or self.accounts.get(p.account_id) or {}
        return account.get("name", p.name)

    # workspaces ------------------------------------------------------------------------------

    def visible_workspaces(self, p):
        return [w for w in self.workspaces if w["account_id"] == p.account_id and p.in_scope(w["id"])]

    def can_list(self, p, workspace_id):
        return any(w["id"] == workspace_id for w in self.visible_workspaces(p))

    def enterprise_id(self, workspace):
        return workspace["account_id"] if self.is_enterprise(workspace["account_id"]) else ""

    def workspace_fields(self, p, w):
        role = w.get("role_type") or ("owner" if w["owner_uid"] == self.user_id(p) else "member")
        return {
            "id": w["id"],
            "name": w["name"],
            "workspace_type": w["workspace_type"],
            "enterprise_id": self.enterprise_id(w),
            "role_type": role,
        }

    # bots ------------------------------------------------------------------------------------

    @staticmethod
    def bot_status(bot):
        return bot.get("publish_status", "published_online")

    @staticmethod
    def bot_connectors(bot):
        return bot.get("connector_ids", ["1024"])

    def is_published(self, bot):
        return self.bot_status(bot) != "unpublished_draft"

    def published_at(self, bot):
        if not self.is_published(bot):
            return None
        return bot.get("published_at", bot.get("updated_at", 0))

    def bots_of(self, workspace_id, publish_status="published_online", connector="1024"):
        """`GET /v1/bots`: default published_online on the API connector; `all` = every bot."""
        out = []
        for bot in self.bots:
            if bot["workspace_id"] != workspace_id:
                continue
            status = self.bot_status(bot)
            if publish_status == "all":
                out.append(bot)
            elif publish_status == "unpublished_draft":
                if status == "unpublished_draft":
                    out.append(bot)
            elif status == publish_status and connector in self.bot_connectors(bot):
                out.append(bot)
        return out

    def legacy_bots_of(self, workspace_id):
        """`GET /v1/space/published_bots_list`: API-channel published bots, newest publication first."""
        bots = [
            b
            for b in self.bots
            if b["workspace_id"] == workspace_id and self.is_published(b) and "1024" in self.bot_connectors(b)
        ]
        return sorted(bots, key=lambda b: (self.published_at(b), b["id"]), reverse=True)

    def bot_fields(self, bot):
        return {
            "id": bot["id"],
            "name": bot["name"],
            "description": bot.get("description", ""),
            "is_published": self.is_published(bot),
            "updated_at": bot.get("updated_at", 0),
            "published_at": self.published_at(bot),
            "owner_user_id": bot["owner_user_id"],
            "folder_id": bot.get("folder_id", ""),
        }

    def legacy_bot_fields(self, bot):
        # cozepy maps bot_id/bot_name/publish_time onto SimpleBot (updated_at = publish_time).
        return {
            "id": bot["id"],
            "name": bot["name"],
            "description": bot.get("description", ""),
            "is_published": True,
            "updated_at": self.published_at(bot),
            "published_at": self.published_at(bot),
        }

    # apps and workflows ----------------------------------------------------------------------

    def apps_of(self, workspace_id, publish_status="published_online", connector="1024"):
        """`GET /v1/apps`: the publish-status rule of bots (default published_online on the API connector)."""
        out = []
        for app in self.apps:
            if app["workspace_id"] != workspace_id:
                continue
            status = app.get("publish_status", "published_online")
            if publish_status == "all":
                out.append(app)
            elif publish_status == "unpublished_draft":
                if status == "unpublished_draft":
                    out.append(app)
            elif status == publish_status and connector in app.get("connector_ids", ["1024"]):
                out.append(app)
        return out

    @staticmethod
    def app_fields(app):
        published = app.get("publish_status", "published_online") != "unpublished_draft"
        return {
            "id": app["id"],
            "name": app["name"],
            "description": app.get("description", ""),
            "is_published": published,
            "updated_at": app.get("updated_at", 0),
            "published_at": app.get("published_at", app.get("updated_at", 0)) if published else None,
            "owner_user_id": app["owner_user_id"],
            "folder_id": app.get("folder_id", ""),
        }

    def workflows_of(self, workspace_id, publish_status="published_online", mode=None, app_id=None):
        """`GET /v1/workflows`: default published_online, both modes without workflow_mode."""
        return [
            w
            for w in self.workflows
            if w["workspace_id"] == workspace_id
            and (publish_status == "all" or w.get("publish_status", "published_online") == publish_status)
            and (mode is None or w.get("mode", "workflow") == mode)
            and (app_id is None or w.get("app_id") == app_id)
        ]

    @staticmethod
    def workflow_fields(w):
        return {
            "workflow_id": w["id"],
            "workflow_name": w["name"],
            "description": w.get("description", ""),
            "app_id": w.get("app_id") or "0",
            "created_at": w.get("created_at", 0),
            "updated_at": w.get("updated_at", w.get("created_at", 0)),
            "creator_id": w["creator_id"],
        }

    # conversations ---------------------------------------------------------------------------

    def conversations_of(self, p, bot_id, connector="1024"):
        """Own (and granted) conversations of one bot on one connector, newest first."""
        accounts = p.resource_accounts()
        found = [
            c
            for c in self.conversations
            if c["bot_id"] == bot_id and c.get("connector_id", "1024") == connector and c["account_id"] in accounts
        ]
        return sorted(found, key=lambda c: (c["created_at"], c["id"]), reverse=True)

    def conversation_fields(self, c):
        return {
            "id": c["id"],
            "name": c["name"],
            "created_at": c["created_at"],
            "updated_at": c.get("updated_at", c["created_at"]),
            "creator_id": c.get("creator_id") or self.account_user_id(c["account_id"]),
            "connector_id": c.get("connector_id", "1024"),
            "meta_data": c.get("meta_data", {}),
            "last_section_id": c.get("last_section_id", c["id"]),
        }

    # voices ----------------------------------------------------------------------------------

    @staticmethod
    def is_system(voice):
        return voice.get("is_system_voice", voice.get("account_id") is None)

    def voices_for(self, p, state="cloned", filter_system=False):
        accounts = p.resource_accounts()
        out = []
        for v in self.voices:
            system = self.is_system(v)
            if not system and v.get("account_id") not in accounts:
                continue
            if filter_system and system:
                continue
            if state != "all" and v.get("state", "cloned") != state:
                continue
            out.append(v)
        return out

    def voice_fields(self, v):
        return {
            "voice_id": v["voice_id"],
            "name": v["name"],
            "state": v.get("state", "cloned"),
            "model_type": v.get("model_type", "big"),
            "language_code": v.get("language_code", "zh"),
            "is_system_voice": self.is_system(v),
            "create_time": v.get("create_time", 0),
            "update_time": v.get("update_time", v.get("create_time", 0)),
        }


# --------------------------------------------------------------------------------------------
# Check bookkeeping
# --------------------------------------------------------------------------------------------


class Mismatch(Exception):
    pass


def require(condition, message):
    if not condition:
        raise Mismatch(message)


class Checks:
    def __init__(self):
        self.passed = 0
        self.failed = []

    @property
    def total(self):
        return self.passed + len(self.failed)

    def run(self, name, fn):
        try:
            note = fn()
        except Mismatch as e:
            self.failed.append(name)
            print(f"FAIL {name}: {e}", flush=True)
        except Exception as e:  # an SDK exception where a result was expected is a failure too
            self.failed.append(name)
            detail = f"{type(e).__name__}: {e}".replace("\n", " ")
            print(f"FAIL {name}: unexpected {detail[:400]}", flush=True)
            if os.environ.get("CONFORMANCE_TRACE"):
                traceback.print_exc()
        else:
            self.passed += 1
            print(f"ok   {name}" + (f" ({note})" if note else ""), flush=True)


def plain(value):
    return value.value if isinstance(value, Enum) else value


def pick(obj, fields):
    return {f: plain(getattr(obj, f, None)) for f in fields}


def pick_workflow(w):
    """A cozepy WorkflowBasic as the expectation's flat dict (the creator is an object there)."""
    got = pick(w, [f for f in WORKFLOW_FIELDS if f != "creator_id"])
    got["creator_id"] = w.creator.id if w.creator else None
    return got


# Expected items each listing kind was compared against, over the whole run: a floor on them
# (run_check) catches comparisons that became vacuous (an expectation that lists nothing).
COMPARED = {}


def compare(kind, got, expected, key, ordered):
    """Ids (order when the API defines it), no duplicates, and every expected field value."""
    COMPARED[kind] = COMPARED.get(kind, 0) + len(expected)
    got_ids = [g[key] for g in got]
    exp_ids = [e[key] for e in expected]
    problems = []
    missing = [i for i in exp_ids if i not in got_ids]
    extra = [i for i in got_ids if i not in exp_ids]
    dupes = sorted({i for i in got_ids if got_ids.count(i) > 1})
    if missing:
        problems.append(f"missing {missing}")
    if extra:
        problems.append(f"unexpected {extra}")
    if dupes:
        problems.append(f"duplicate ids {dupes}")
    if ordered and not problems and got_ids != exp_ids:
        problems.append(f"order {got_ids} != expected {exp_ids}")
    require(not problems, f"{kind}: " + ", ".join(problems) + f" (got {len(got_ids)}, expected {len(exp_ids)})")
    by_id = {g[key]: g for g in got}
    for e in expected:
        g = by_id[e[key]]
        diffs = {f: (g.get(f), v) for f, v in e.items() if g.get(f) != v}
        require(not diffs, f"{kind} {e[key]}: field (got, expected) {diffs}")
    return f"{len(got_ids)} {kind}"


def collect_pages(paged, page_size, expected_count):
    """All pages of a cozepy NumberPaged, bounded so a pagination loop fails instead of hanging.
    Returns the items and a page-count complaint (None when right), raised after the item comparison
    so that a dropped or repeated page is reported by what it lost."""
    expected_pages = max(1, math.ceil(expected_count / page_size))
    limit = expected_pages + 3
    items, pages = [], 0
    for page in paged.iter_pages():
        pages += 1
        require(page.response is not None and page.response.logid, f"page {pages} has no x-tt-logid")
        items.extend(page.items)
        require(pages < limit, f"pagination did not stop after {pages} pages (expected {expected_pages})")
    if pages != expected_pages:
        return items, f"fetched {pages} pages, expected {expected_pages} at page_size {page_size}"
    return items, None


def check_listing(kind, paged, page_size, expected, fields, key="id", ordered=False, picker=None):
    """Every page of a cozepy listing against the expected items (dicts of field values)."""
    items, page_problem = collect_pages(paged, page_size, len(expected))
    note = compare(kind, [picker(i) if picker else pick(i, fields) for i in items], expected, key, ordered)
    require(page_problem is None, page_problem)
    return note


def expect_api_error(code, call):
    """cozepy must raise CozeAPIError with this code and a non-empty logid."""
    try:
        result = call()
        if hasattr(result, "iter_pages"):
            for _ in result.iter_pages():
                pass
    except CozeAPIError as e:
        require(e.code == code, f"CozeAPIError code {e.code} (msg {e.msg!r}), expected {code}")
        require(bool(e.logid), "CozeAPIError without logid")
        return f"code {e.code}, logid {e.logid}"
    raise Mismatch(f"no error, expected CozeAPIError {code}")


# --------------------------------------------------------------------------------------------
# Plain HTTP (urllib) for what cozepy cannot send or hides
# --------------------------------------------------------------------------------------------

_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def raw_get(base_url, path, token, params=None):
    url = base_url + path + ("?" + urllib.parse.urlencode(params) if params else "")
    request = urllib.request.Request(url, headers={"Authorization": f"Bearer {token}"})
    try:
        with _OPENER.open(request, timeout=HTTP_TIMEOUT) as response:
            status, headers, body = response.status, response.headers, response.read()
    except urllib.error.HTTPError as e:
        status, headers, body = e.code, e.headers, e.read()
    try:
        parsed = json.loads(body)
    except ValueError:
        parsed = None
    return status, headers, parsed, body


def raw_envelope(base_url, path, token, params=None):
    """A successful envelope's `data`; checks code, msg and that detail.logid equals x-tt-logid."""
    status, headers, body, text = raw_get(base_url, path, token, params)
    require(isinstance(body, dict), f"HTTP {status}, body is not a JSON object: {text[:120]!r}")
    require(body.get("code") == 0, f"HTTP {status}, code {body.get('code')} msg {body.get('msg')!r}")
    logid = headers.get("x-tt-logid")
    require(logid and (body.get("detail") or {}).get("logid") == logid, "detail.logid differs from x-tt-logid")
    require(isinstance(body.get("data"), dict), "data is not an object")
    return body["data"]


def raw_pages(base_url, path, token, params, items_key, page_size, expected_count):
    """page_num/has_more pagination by hand (the conversation list, as the tool sends it)."""
    expected_pages = max(1, math.ceil(expected_count / page_size))
    items, page = [], 0
    while True:
        page += 1
        require(page <= expected_pages + 3, f"pagination did not stop after {page - 1} pages")
        data = raw_envelope(base_url, path, token, dict(params, page_num=page, page_size=page_size))
        require(isinstance(data.get(items_key), list), f"data.{items_key} is not a list")
        require(isinstance(data.get("has_more"), bool), "data.has_more is not a boolean")
        items.extend(data[items_key])
        if not data["has_more"]:
            break
    if page != expected_pages:
        return items, f"fetched {page} pages, expected {expected_pages} at page_size {page_size}"
    return items, None


def raw_listing_as_client(base_url, path, token, params, items_key, page_size, limit_pages=20):
    """page_num/page_size pagination with the stop rule of Sources/CozeAPI (docs/openapi.md §1.5): an
    empty page, has_more false, or the fetched count reaching total/total_count."""
    items, page = [], 0
    while True:
        page += 1
        require(page <= limit_pages, f"pagination did not stop after {limit_pages} pages")
        data = raw_envelope(base_url, path, token, dict(params, page_num=page, page_size=page_size))
        batch = data.get(items_key)
        require(isinstance(batch, list), f"data.{items_key} is not a list")
        items.extend(batch)
        total = data.get("total", data.get("total_count"))
        if not batch or data.get("has_more") is False or (isinstance(total, int) and len(items) >= total):
            return items


# Documented fields per item (docs/openapi.md, sdk-gen docs); cozepy's models drop some of them, so
# these are checked on the raw JSON.
DOCUMENTED_FIELDS = {
    "users/me": ["user_id", "user_name", "nick_name", "avatar_url"],
    "workspace": ["id", "name", "icon_url", "role_type", "workspace_type", "enterprise_id", "owner_uid",
                  "admin_uids", "description", "joined_status"],
    "bot": ["id", "name", "description", "icon_url", "is_published", "updated_at", "owner_user_id", "folder_id"],
    "legacy bot": ["bot_id", "bot_name", "description", "icon_url", "publish_time"],
    "conversation": ["id", "name", "meta_data", "creator_id", "connector_id", "created_at", "updated_at",
                     "last_section_id"],
    "app": ["id", "name", "description", "icon_url", "is_published", "owner_user_id", "updated_at", "folder_id"],
    "workflow": ["workflow_id", "workflow_name", "description", "icon_url", "app_id", "created_at", "updated_at",
                 "creator"],
    "voice": ["voice_id", "name", "state", "model_type", "model_name", "is_system_voice", "language_code",
              "language_name", "preview_text", "preview_audio", "create_time", "update_time",
              "available_training_times", "support_emotions"],
}
STRING_IDS = {"workspace": ["id", "owner_uid"], "bot": ["id", "owner_user_id"], "legacy bot": ["bot_id"],
              "app": ["id", "owner_user_id"], "workflow": ["workflow_id", "app_id"],
              "conversation": ["id", "creator_id", "connector_id", "last_section_id"], "voice": ["voice_id"],
              "users/me": ["user_id"]}


def require_documented_fields(kind, items, expected_count=None):
    """Every item has the documented fields; with `expected_count`, there are exactly that many
    items (an empty answer must not pass by running the loop zero times)."""
    if expected_count is not None:
        require(len(items) == expected_count, f"{kind}: {len(items)} items, expected {expected_count}")
    for item in items:
        missing = [f for f in DOCUMENTED_FIELDS[kind] if f not in item]
        ident = next((item.get(k) for k in ("id", "voice_id", "bot_id", "workflow_id", "user_id") if item.get(k)), "?")
        require(not missing, f"{kind} {ident}: documented fields missing {missing}")
        numeric = [f for f in STRING_IDS[kind] if not isinstance(item.get(f), str)]
        require(not numeric, f"{kind}: ids must be JSON strings, not {[(f, item.get(f)) for f in numeric]}")
    return f"{len(items)} {kind} items have every documented field"


# --------------------------------------------------------------------------------------------
# The checks
# --------------------------------------------------------------------------------------------


def coze_for(base_url, token):
    return Coze(
        auth=TokenAuth(token),
        base_url=base_url,
        http_client=SyncHTTPClient(timeout=HTTP_TIMEOUT, trust_env=False),
    )


WS_FIELDS = ["id", "name", "workspace_type", "enterprise_id", "role_type"]
BOT_FIELDS = ["id", "name", "description", "is_published", "updated_at", "published_at", "owner_user_id",
              "folder_id"]
LEGACY_FIELDS = ["id", "name", "description", "is_published", "updated_at", "published_at"]
CONV_FIELDS = ["id", "name", "created_at", "updated_at", "creator_id", "connector_id", "meta_data",
               "last_section_id"]
APP_FIELDS = ["id", "name", "description", "is_published", "updated_at", "published_at", "owner_user_id",
              "folder_id"]
WORKFLOW_FIELDS = ["workflow_id", "workflow_name", "description", "app_id", "created_at", "updated_at", "creator_id"]
# cozepy 0.20.0's workflows.list puts its enum arguments into the query as they are, and httpx
# writes a str-Enum as `PublishStatus.ALL` / `WorkflowMode.CHATFLOW`, not as its value: with the
# enums the SDK cannot filter by mode or status. The checks pass the plain strings its signature
# accepts at run time; one check pins that the simulator refuses the enum spelling (4000) instead
# of listing something unfiltered.
COZEPY_WORKFLOW_ENUMS = "workflows.list sends str(enum)"  # docs/api-coverage.md D23
# listWorkflow's documented page_size maximum; cozepy's default (100) exceeds it, so the checks pass
# the documented sizes (docs/openapi.md §7).
WORKFLOW_MAX_PAGE_SIZE = 30
VOICE_FIELDS = ["voice_id", "name", "state", "model_type", "language_code", "is_system_voice", "create_time",
                "update_time"]


def check_principal(checks, tenant, base_url, p, label=None):
    """Everything one valid token can list, through cozepy, against the expectations."""
    who = label or p.name
    coze = coze_for(base_url, p.token)

    def users_me():
        user = coze.users.me()
        require(user.response.logid, "no x-tt-logid")
        got = {"user_id": user.user_id, "nick_name": user.nick_name}
        exp = {"user_id": tenant.user_id(p), "nick_name": tenant.nick_name(p)}
        require(got == exp, f"{got} != expected {exp}")
        require(user.user_name and user.avatar_url, "empty user_name or avatar_url")
        return f"user_id {user.user_id}"

    checks.run(f"{who}: users.me (GET /v1/users/me)", users_me)

    expected_ws = tenant.visible_workspaces(p)
    exp_ws_fields = [tenant.workspace_fields(p, w) for w in expected_ws]
    for size in (1, 20):
        def workspaces(size=size):
            return check_listing("workspaces", coze.workspaces.list(page_size=size), size, exp_ws_fields, WS_FIELDS)

        checks.run(f"{who}: workspaces.list page_size={size}, all pages (GET /v1/workspaces)", workspaces)

    for w in tenant.workspaces:
        wid = w["id"]
        if not tenant.can_list(p, wid):
            checks.run(
                f"{who}: bots.list of unlistable workspace {wid} -> 4101 (GET /v1/space/published_bots_list)",
                lambda wid=wid: expect_api_error(4101, lambda: coze.bots.list(space_id=wid)))
            checks.run(
                f"{who}: bots.list v2 of unlistable workspace {wid} -> 4101 (GET /v1/bots)",
                lambda wid=wid: expect_api_error(
                    4101, lambda: coze.bots.list(space_id=wid, use_api_version=2, publish_status=PublishStatus.ALL)))
            checks.run(
                f"{who}: apps.list of unlistable workspace {wid} -> 4101 (GET /v1/apps)",
                lambda wid=wid: expect_api_error(
                    4101, lambda: coze.apps.list(workspace_id=wid, publish_status=PublishStatus.ALL)))
            checks.run(
                f"{who}: workflows.list of unlistable workspace {wid} -> 4101 (GET /v1/workflows)",
                lambda wid=wid: expect_api_error(
                    4101, lambda: coze.workflows.list(workspace_id=wid, page_size=WORKFLOW_MAX_PAGE_SIZE)))
            continue

        check_apps_and_workflows(checks, tenant, coze, p, who, wid)

        def legacy(wid=wid):
            exp = [tenant.legacy_bot_fields(b) for b in tenant.legacy_bots_of(wid)]
            return check_listing("bots", coze.bots.list(space_id=wid, page_size=1), 1, exp, LEGACY_FIELDS,
                                 ordered=True)

        checks.run(f"{who}: bots.list (legacy default) workspace {wid} page_size=1 "
                   f"(GET /v1/space/published_bots_list)", legacy)

        for status, size in ((None, 20), (PublishStatus.ALL, 1), (PublishStatus.UNPUBLISHED_DRAFT, 20)):
            def bots_v2(wid=wid, status=status, size=size):
                exp = [tenant.bot_fields(b) for b in tenant.bots_of(wid, status.value if status else "published_online")]
                paged = coze.bots.list(space_id=wid, use_api_version=2, publish_status=status, page_size=size)
                return check_listing("bots", paged, size, exp, BOT_FIELDS)

            shown = status.value if status else "(default)"
            checks.run(f"{who}: bots.list use_api_version=2 publish_status={shown} workspace {wid} "
                       f"page_size={size} (GET /v1/bots)", bots_v2)

        for bot in tenant.bots_of(wid, "all"):
            bid = bot["id"]

            def conversations_sdk(bid=bid):
                exp = [tenant.conversation_fields(c) for c in tenant.conversations_of(p, bid, "1024")]
                return check_listing("conversations", coze.conversations.list(bot_id=bid, page_size=1), 1, exp,
                                     CONV_FIELDS, ordered=True)

            checks.run(f"{who}: conversations.list bot {bid} page_size=1 (GET /v1/conversations)",
                       conversations_sdk)

            for connector in ("1024", "999"):
                def conversations_raw(bid=bid, connector=connector):
                    exp = tenant.conversations_of(p, bid, connector)
                    items, page_problem = raw_pages(base_url, "/v1/conversations", p.token,
                                                    {"bot_id": bid, "connector_id": connector}, "conversations", 1,
                                                    len(exp))
                    require_documented_fields("conversation", items)
                    got = [{f: i.get(f) for f in CONV_FIELDS} for i in items]
                    note = compare("conversations", got, [tenant.conversation_fields(c) for c in exp], "id",
                                   ordered=True)
                    require(page_problem is None, page_problem)
                    return note

                checks.run(f"{who}: [urllib] GET /v1/conversations bot {bid} connector_id={connector} "
                           f"page_size=1", conversations_raw)

    # conversations of a bot in a workspace the token cannot list, and of an unknown bot
    foreign = [b for b in tenant.bots if not tenant.can_list(p, b["workspace_id"])]
    if foreign:
        bid = foreign[0]["id"]
        checks.run(f"{who}: conversations.list of bot {bid} in an unlistable workspace -> 4101",
                   lambda: expect_api_error(4101, lambda: coze.conversations.list(bot_id=bid)))

    own = [c for c in tenant.conversations if c["account_id"] in p.resource_accounts()]
    if own:
        conv = own[0]

        def retrieve():
            got = coze.conversations.retrieve(conversation_id=conv["id"])
            return compare("conversations", [pick(got, CONV_FIELDS)], [tenant.conversation_fields(conv)], "id",
                           ordered=True)

        checks.run(f"{who}: conversations.retrieve {conv['id']} (GET /v1/conversation/retrieve)", retrieve)
    others = [c for c in tenant.conversations if c["account_id"] not in p.resource_accounts()]
    if others:
        cid = others[0]["id"]
        checks.run(f"{who}: conversations.retrieve of another account's {cid} -> 4200 (simulator model)",
                   lambda: expect_api_error(4200, lambda: coze.conversations.retrieve(conversation_id=cid)))

    # voices
    if "GET /v1/audio/voices" in p.denied:
        checks.run(f"{who}: audio.voices.list without the listVoice permission -> 4101 (GET /v1/audio/voices)",
                   lambda: expect_api_error(4101, lambda: coze.audio.voices.list()))
    else:
        for state, filter_system in ((None, False), (None, True), (VoiceState.ALL, False), (VoiceState.ALL, True)):
            def voices(state=state, filter_system=filter_system):
                exp = [tenant.voice_fields(v) for v in tenant.voices_for(p, state.value if state else "cloned",
                                                                         filter_system)]
                paged = coze.audio.voices.list(voice_state=state, filter_system_voice=filter_system, page_size=2)
                return check_listing("voices", paged, 2, exp, VOICE_FIELDS, key="voice_id")

            shown = state.value if state else "(default cloned)"
            checks.run(f"{who}: audio.voices.list voice_state={shown} filter_system_voice={filter_system} "
                       f"page_size=2 (GET /v1/audio/voices)", voices)


def check_apps_and_workflows(checks, tenant, coze, p, who, wid):
    """cozepy's apps.list and workflows.list of one listable workspace: every publish status and
    mode at sizes that page, a workflow inside an app, and the permission point when it is missing."""
    if "GET /v1/apps" in p.denied:
        checks.run(f"{who}: apps.list without the listApp permission, workspace {wid} -> 4101 (GET /v1/apps)",
                   lambda: expect_api_error(4101, lambda: coze.apps.list(workspace_id=wid)))
    else:
        # cozepy pages apps with `page_index` (coze-go and the docs say `page_num`): the simulator
        # honours both unless the apps_page_index_only switch is on, which cozepy survives.
        for status, size in ((None, 1), (PublishStatus.ALL, 2), (PublishStatus.UNPUBLISHED_DRAFT, 20)):
            def apps(status=status, size=size):
                exp = [tenant.app_fields(a) for a in tenant.apps_of(wid, status.value if status else "published_online")]
                return check_listing("apps", coze.apps.list(workspace_id=wid, publish_status=status, page_size=size),
                                     size, exp, APP_FIELDS)

            shown = status.value if status else "(default)"
            checks.run(f"{who}: apps.list publish_status={shown} workspace {wid} page_size={size} (GET /v1/apps)",
                       apps)

    if "GET /v1/workflows" in p.denied:
        checks.run(f"{who}: workflows.list without the listWorkflow permission, workspace {wid} -> 4101 "
                   f"(GET /v1/workflows)",
                   lambda: expect_api_error(4101, lambda: coze.workflows.list(workspace_id=wid,
                                                                               page_size=WORKFLOW_MAX_PAGE_SIZE)))
        return
    cases = [(None, None, WORKFLOW_MAX_PAGE_SIZE), ("all", "workflow", 1), ("all", "chatflow", 1),
             ("unpublished_draft", None, 2)]
    for status, mode, size in cases:
        def workflows(status=status, mode=mode, size=size):
            exp = [tenant.workflow_fields(w) for w in tenant.workflows_of(wid, status or "published_online", mode)]
            # Plain strings, not cozepy's enums: see COZEPY_WORKFLOW_ENUMS.
            paged = coze.workflows.list(workspace_id=wid, workflow_mode=mode, publish_status=status, page_size=size)
            return check_listing("workflows", paged, size, exp, WORKFLOW_FIELDS, key="workflow_id",
                                 picker=pick_workflow)

        checks.run(f"{who}: workflows.list publish_status={status or '(default)'} workflow_mode={mode or '(both)'} "
                   f"workspace {wid} page_size={size} (GET /v1/workflows)", workflows)
    for app_id in sorted({w["app_id"] for w in tenant.workflows if w["workspace_id"] == wid and w.get("app_id")}):
        def inside_app(app_id=app_id):
            exp = [tenant.workflow_fields(w) for w in tenant.workflows_of(wid, "all", app_id=app_id)]
            paged = coze.workflows.list(workspace_id=wid, app_id=app_id, publish_status="all",
                                        page_size=WORKFLOW_MAX_PAGE_SIZE)
            return check_listing("workflows", paged, WORKFLOW_MAX_PAGE_SIZE, exp, WORKFLOW_FIELDS,
                                 key="workflow_id", picker=pick_workflow)

        checks.run(f"{who}: workflows.list app_id={app_id} workspace {wid} (GET /v1/workflows, a workflow inside "
                   f"an app)", inside_app)


def check_raw_contract(checks, tenant, base_url, p):
    """Envelope, status codes and documented fields that cozepy's models would not notice."""
    who = f"{p.name}: [urllib]"

    def envelope_ok():
        data = raw_envelope(base_url, "/v1/users/me", p.token)
        return require_documented_fields("users/me", [data])

    checks.run(f"{who} GET /v1/users/me envelope {{code 0, msg, data, detail.logid = x-tt-logid}}", envelope_ok)

    def listing_fields():
        notes = []
        data = raw_envelope(base_url, "/v1/workspaces", p.token, {"page_num": 1, "page_size": 50})
        require(isinstance(data.get("total_count"), int), "workspaces: data.total_count is not an integer")
        notes.append(require_documented_fields("workspace", data["workspaces"], len(tenant.visible_workspaces(p))))
        for w in tenant.visible_workspaces(p):
            data = raw_envelope(base_url, "/v1/bots", p.token,
                                {"workspace_id": w["id"], "publish_status": "all", "page_num": 1, "page_size": 50})
            require(isinstance(data.get("total"), int), "bots: data.total is not an integer")
            require_documented_fields("bot", data["items"], len(tenant.bots_of(w["id"], "all")))
            for item in data["items"]:
                require(("published_at" in item) == item["is_published"],
                        f"bot {item['id']}: published_at present iff is_published")
            data = raw_envelope(base_url, "/v1/space/published_bots_list", p.token,
                                {"space_id": w["id"], "page_index": 1, "page_size": 20})
            require(isinstance(data.get("total"), int), "legacy bots: data.total is not an integer")
            require_documented_fields("legacy bot", data["space_bots"], min(20, len(tenant.legacy_bots_of(w["id"]))))
            for item in data["space_bots"]:
                require(item["publish_time"].isdigit(), "publish_time must be a string of unix seconds")
        return "; ".join(notes) + f"; bots of {len(tenant.visible_workspaces(p))} workspaces"

    checks.run(f"{who} documented fields and string ids (GET /v1/workspaces, /v1/bots, "
               f"/v1/space/published_bots_list)", listing_fields)

    # The four listings exactly as Sources/CozeAPI/CozeClient+Listings.swift sends them.
    def client_workspaces():
        items = raw_listing_as_client(base_url, "/v1/workspaces", p.token, {}, "workspaces", 50)
        return compare("workspaces", [{f: i.get(f) for f in WS_FIELDS} for i in items],
                       [tenant.workspace_fields(p, w) for w in tenant.visible_workspaces(p)], "id", ordered=False)

    checks.run(f"{who} GET /v1/workspaces?page_num&page_size=50 as CozeAPI sends it", client_workspaces)

    def client_bots():
        notes = []
        for w in tenant.visible_workspaces(p):
            items = raw_listing_as_client(base_url, "/v1/bots", p.token,
                                          {"workspace_id": w["id"], "publish_status": "all"}, "items", 50)
            notes.append(compare("bots", [{f: i.get(f) for f in BOT_FIELDS} for i in items],
                                 [tenant.bot_fields(b) for b in tenant.bots_of(w["id"], "all")], "id",
                                 ordered=False))
        return ", ".join(notes) or "no listable workspace"

    checks.run(f"{who} GET /v1/bots?workspace_id&publish_status=all&page_num&page_size=50 as CozeAPI sends it",
               client_bots)

    listable = tenant.visible_workspaces(p)
    if "GET /v1/apps" not in p.denied:
        def client_apps():
            notes = []
            for w in listable:
                data = raw_envelope(base_url, "/v1/apps", p.token,
                                    {"workspace_id": w["id"], "publish_status": "all", "page_num": 1, "page_size": 50})
                require(isinstance(data.get("total"), int), "apps: data.total is not an integer")
                require_documented_fields("app", data["items"], len(tenant.apps_of(w["id"], "all")))
                items = raw_listing_as_client(base_url, "/v1/apps", p.token,
                                              {"workspace_id": w["id"], "publish_status": "all"}, "items", 50)
                notes.append(compare("apps", [{f: i.get(f) for f in APP_FIELDS} for i in items],
                                     [tenant.app_fields(a) for a in tenant.apps_of(w["id"], "all")], "id",
                                     ordered=False))
            return ", ".join(notes) or "no listable workspace"

        checks.run(f"{who} GET /v1/apps?workspace_id&publish_status=all&page_num&page_size=50 as CozeAPI sends it, "
                   f"documented fields", client_apps)
    if "GET /v1/workflows" not in p.denied:
        def client_workflows():
            notes = []
            for w in listable:
                for mode in ("workflow", "chatflow"):
                    params = {"workspace_id": w["id"], "workflow_mode": mode, "publish_status": "all"}
                    data = raw_envelope(base_url, "/v1/workflows", p.token,
                                        dict(params, page_num=1, page_size=WORKFLOW_MAX_PAGE_SIZE))
                    require(isinstance(data.get("has_more"), bool), "workflows: data.has_more is not a boolean")
                    expected = tenant.workflows_of(w["id"], "all", mode)
                    require_documented_fields("workflow", data["items"], min(WORKFLOW_MAX_PAGE_SIZE, len(expected)))
                    items = raw_listing_as_client(base_url, "/v1/workflows", p.token, params, "items",
                                                  WORKFLOW_MAX_PAGE_SIZE)
                    got = [dict({f: i.get(f) for f in WORKFLOW_FIELDS if f != "creator_id"},
                                creator_id=(i.get("creator") or {}).get("id")) for i in items]
                    # created_at/updated_at are strings of unix seconds on the wire (as documented).
                    for g in got:
                        for f in ("created_at", "updated_at"):
                            require(isinstance(g[f], str) and g[f].isdigit(), f"workflow {g['workflow_id']}: {f} "
                                    f"is {g[f]!r}, expected a string of unix seconds")
                            g[f] = int(g[f])
                    notes.append(compare("workflows", got, [tenant.workflow_fields(x) for x in expected],
                                         "workflow_id", ordered=False))
            return ", ".join(notes) or "no listable workspace"

        checks.run(f"{who} GET /v1/workflows?workspace_id&workflow_mode&publish_status=all&page_num&page_size=30 as "
                   f"CozeAPI sends it, documented fields", client_workflows)

    if "GET /v1/audio/voices" not in p.denied:
        def client_voices():
            items = raw_listing_as_client(base_url, "/v1/audio/voices", p.token,
                                          {"voice_state": "all", "filter_system_voice": "false"}, "voice_list", 100)
            return compare("voices", [{f: i.get(f) for f in VOICE_FIELDS} for i in items],
                           [tenant.voice_fields(v) for v in tenant.voices_for(p, "all")], "voice_id", ordered=False)

        checks.run(f"{who} GET /v1/audio/voices?voice_state=all&filter_system_voice=false&page_num&page_size=100 "
                   f"as CozeAPI sends it", client_voices)

        def voice_fields():
            data = raw_envelope(base_url, "/v1/audio/voices", p.token, {"voice_state": "all", "page_size": 100})
            require(isinstance(data.get("has_more"), bool), "voices: data.has_more is not a boolean")
            return require_documented_fields("voice", data["voice_list"], min(100, len(tenant.voices_for(p, "all"))))

        checks.run(f"{who} documented voice fields (GET /v1/audio/voices voice_state=all)", voice_fields)


def check_errors(checks, tenant, base_url):
    principals = tenant.principals()
    invalid = [p for p in principals if not p.valid]
    valid = [p for p in principals if p.valid]
    require(valid, "the scenario has no valid credential")

    for p in invalid:
        coze = coze_for(base_url, p.token)
        checks.run(f"{p.name} (expired/revoked): users.me -> CozeAPIError 4100 with logid",
                   lambda coze=coze: expect_api_error(4100, lambda: coze.users.me()))
        checks.run(f"{p.name} (expired/revoked): workspaces.list -> CozeAPIError 4100",
                   lambda coze=coze: expect_api_error(4100, lambda: coze.workspaces.list()))

        def raw_401(p=p):
            status, headers, body, text = raw_get(base_url, "/v1/users/me", p.token)
            require(status == 401, f"HTTP {status}, expected 401 with code 4100")
            require(isinstance(body, dict) and body.get("code") == 4100, f"body {text[:120]!r}")
            require((body.get("detail") or {}).get("logid") == headers.get("x-tt-logid"),
                    "detail.logid differs from x-tt-logid")
            require("data" not in body or body["data"] in (None, {}), "an error envelope carries data")
            return "HTTP 401"

        checks.run(f"{p.name} (expired/revoked): [urllib] 4100 envelope, HTTP 401, logid in body and header", raw_401)

    unknown = coze_for(base_url, "pat_conformance_unknown_token")
    checks.run("unknown token: users.me -> CozeAPIError 4100",
               lambda: expect_api_error(4100, lambda: unknown.users.me()))

    p = valid[0]
    coze = coze_for(base_url, p.token)
    checks.run(f"{p.name}: workspaces.list page_size=51 (max 50) -> 4000",
               lambda: expect_api_error(4000, lambda: coze.workspaces.list(page_size=51)))
    listable = tenant.visible_workspaces(p)
    if listable:
        wid = listable[0]["id"]
        checks.run(f"{p.name}: bots.list use_api_version=2 page_size=51 (max 50) -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.bots.list(space_id=wid, use_api_version=2,
                                                                         page_size=51)))
        checks.run(f"{p.name}: bots.list use_api_version=2 unpublished_draft with connector_id -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.bots.list(
                       space_id=wid, use_api_version=2, publish_status=PublishStatus.UNPUBLISHED_DRAFT,
                       connector_id="1024")))
        checks.run(f"{p.name}: apps.list page_size=51 (max 50) -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.apps.list(workspace_id=wid, page_size=51)))
        checks.run(f"{p.name}: workflows.list at cozepy's default page_size=100 (documented max 30) -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.workflows.list(workspace_id=wid)))
        checks.run(f"{p.name}: workflows.list with cozepy's own WorkflowMode/PublishStatus enums -> 4000 "
                   f"({COZEPY_WORKFLOW_ENUMS}: `WorkflowMode.CHATFLOW` is no mode)",
                   lambda: expect_api_error(4000, lambda: coze.workflows.list(
                       workspace_id=wid, workflow_mode=WorkflowMode.CHATFLOW, publish_status=PublishStatus.ALL,
                       page_size=WORKFLOW_MAX_PAGE_SIZE)))
        checks.run(f"{p.name}: workflows.list page_size=31 (max 30) -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.workflows.list(workspace_id=wid, page_size=31)))
        bots = tenant.bots_of(wid, "all")
        if bots:
            bid = bots[0]["id"]
            checks.run(f"{p.name}: conversations.list page_size=51 (max 50) -> 4000",
                       lambda: expect_api_error(4000, lambda: coze.conversations.list(bot_id=bid, page_size=51)))
    checks.run(f"{p.name}: conversations.list of an unknown bot -> 4200 (simulator model)",
               lambda: expect_api_error(4200, lambda: coze.conversations.list(bot_id="7419999999999999999")))
    if "GET /v1/audio/voices" not in p.denied:
        checks.run(f"{p.name}: audio.voices.list page_size=101 (max 100) -> 4000",
                   lambda: expect_api_error(4000, lambda: coze.audio.voices.list(page_size=101)))

    def raw_400():
        status, headers, body, text = raw_get(base_url, "/v1/workspaces", p.token, {"page_size": 51})
        require(status == 400 and isinstance(body, dict) and body.get("code") == 4000,
                f"HTTP {status} body {text[:120]!r}, expected HTTP 400 code 4000")
        return "HTTP 400"

    checks.run(f"{p.name}: [urllib] 4000 comes with HTTP 400", raw_400)


def check_jwt(checks, tenant, base_url, app_file):
    """cozepy's JWTOAuthApp against the plain /api/permission/oauth2/token."""
    with open(app_file, encoding="utf-8") as f:
        app_info = json.load(f)
    with open(app_info["private_key_file"], encoding="utf-8") as f:
        private_key = f.read()
    app = next(a for a in tenant.scenario.get("jwt_apps", []) if a["client_id"] == app_info["client_id"])
    oauth_app = JWTOAuthApp(client_id=app["client_id"], private_key=private_key, public_key_id=app["key_id"],
                            base_url=base_url)
    token_box = {}

    def token():
        before = int(time.time())
        t = oauth_app.get_access_token(ttl=900)
        after = int(time.time())
        require(t.access_token, "empty access_token")
        # expires_in is an absolute unix time (docs; cozepy's JWTAuth compares it with time.time()).
        require(before + 900 - 5 <= t.expires_in <= after + 900 + 5,
                f"expires_in {t.expires_in} is not now+900 (absolute unix seconds); now={after}")
        token_box["token"] = t.access_token
        return f"expires_in {t.expires_in} = now + {t.expires_in - after} s"

    checks.run(f"JWTOAuthApp.get_access_token(ttl=900) (POST /api/permission/oauth2/token)", token)
    if "token" in token_box:
        p = tenant.jwt_principal(app, token_box["token"])
        check_principal(checks, tenant, base_url, p, label=f"jwt app {app['name']}")

    def jwt_auth():
        coze = Coze(auth=JWTAuth(oauth_app=oauth_app), base_url=base_url,
                    http_client=SyncHTTPClient(timeout=HTTP_TIMEOUT, trust_env=False))
        user = coze.users.me()
        p = tenant.jwt_principal(app, "")
        require(user.user_id == tenant.user_id(p), f"user_id {user.user_id} != {tenant.user_id(p)}")
        return "JWTAuth (ttl 7200) token works on users.me"

    checks.run("JWTAuth(oauth_app=...) -> users.me", jwt_auth)

    def too_long():
        try:
            oauth_app.get_access_token(ttl=86400)
        except CozeAPIError as e:
            require(e.msg, "CozeAPIError without the error_message")
            return f"refused: {e.msg}"
        raise Mismatch("ttl 86400 (max 86399) was accepted")

    checks.run("JWTOAuthApp.get_access_token(ttl=86400) is refused (max 86399)", too_long)

    def wrong_key():
        from cryptography.hazmat.primitives import serialization
        from cryptography.hazmat.primitives.asymmetric import rsa

        other = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()).decode()
        bad = JWTOAuthApp(client_id=app["client_id"], private_key=other, public_key_id=app["key_id"],
                          base_url=base_url)
        try:
            bad.get_access_token(ttl=900)
        except CozeAPIError as e:
            require(e.msg, "CozeAPIError without the error_message")
            return f"refused: {e.msg}"
        raise Mismatch("a JWT signed with another key was accepted")

    checks.run("JWTOAuthApp with a key the app did not register is refused (invalid_client)", wrong_key)

    def unauthorized():
        other = next(a for a in tenant.scenario["jwt_apps"] if a["client_id"] == app_info["unauthorized_client_id"])
        bad = JWTOAuthApp(client_id=other["client_id"], private_key=private_key, public_key_id=other["key_id"],
                          base_url=base_url)
        try:
            bad.get_access_token(ttl=900)
        except CozeAPIError as e:
            require(e.msg, "CozeAPIError without the error_message")
            require(e.logid, "CozeAPIError without logid (x-tt-logid)")
            return f"refused: {e.msg}"
        raise Mismatch("an app that was never authorized got a token")

    checks.run("JWTOAuthApp of an app no admin authorized is refused (access_deny)", unauthorized)


def check_device_flow(checks, tenant, base_url):
    """cozepy's DeviceOAuthApp up to the first poll (approval happens out of band in the simulator)."""
    apps = tenant.scenario.get("oauth_apps", [])
    if not apps:
        return
    app = apps[0]
    device = DeviceOAuthApp(client_id=app["client_id"], base_url=base_url)
    box = {}

    def device_code():
        code = device.get_device_code()
        require(code.device_code and code.user_code and code.verification_uri, f"incomplete answer {code}")
        ttl = app.get("device_code_ttl_seconds", 300)
        require(code.expires_in == ttl, f"expires_in {code.expires_in}, expected {ttl} (seconds, relative)")
        require(code.interval == 5, f"interval {code.interval}, expected 5")
        box["code"] = code.device_code
        return f"user_code {code.user_code}"

    checks.run(f"DeviceOAuthApp.get_device_code ({app['name']}) (POST /api/permission/oauth2/device/code)",
               device_code)

    def first_poll():
        require("code" in box, "no device code")
        expected = (CozePKCEAuthErrorType.SLOW_DOWN if app.get("slow_down_polls", 0) > 0
                    else CozePKCEAuthErrorType.AUTHORIZATION_PENDING)
        try:
            device.get_access_token(box["code"], poll=False)
        except CozePKCEAuthError as e:
            require(e.error == expected, f"{e.error}, expected {expected}")
            return f"CozePKCEAuthError {e.error.value}"
        raise Mismatch("a token before anyone approved the device code")

    checks.run("DeviceOAuthApp.get_access_token before approval -> CozePKCEAuthError "
               "(POST /api/permission/oauth2/token, device_code grant)", first_poll)


LISTING_KINDS = ("workspaces", "bots", "apps", "workflows", "conversations", "voices")
EVERY_KIND_CHECK = "every listing kind was compared with at least one expected item (" + ", ".join(LISTING_KINDS) + ")"
MIN_CHECKS_CHECK = "at least {n} checks ran (--min-checks)"


def run_check(args):
    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    tenant = Tenant(scenario)
    checks = Checks()
    base_url = args.base_url.rstrip("/")

    def sdk_version():
        require(cozepy.VERSION == PINNED_COZEPY, f"cozepy {cozepy.VERSION}, pinned {PINNED_COZEPY}")
        return f"cozepy {cozepy.VERSION}"

    checks.run("cozepy is the pinned version", sdk_version)

    for p in tenant.principals():
        if p.valid:
            check_principal(checks, tenant, base_url, p)
            check_raw_contract(checks, tenant, base_url, p)
    check_errors(checks, tenant, base_url)
    check_device_flow(checks, tenant, base_url)

    if args.jwt_base_url:
        with open(args.jwt_scenario, encoding="utf-8") as f:
            jwt_tenant = Tenant(json.load(f))
        check_jwt(checks, jwt_tenant, args.jwt_base_url.rstrip("/"), args.jwt_app)

    # Floors: a check loop that ran zero times (an expectation that lists nothing, a scenario that
    # lost its resources) must not leave a green run that checked less than it claims.
    executed = checks.total  # the checks above; the floors themselves are not counted

    def every_kind_compared():
        empty = [kind for kind in LISTING_KINDS if COMPARED.get(kind, 0) == 0]
        require(not empty, f"no expected item was compared for {empty} (compared: {COMPARED})")
        return ", ".join(f"{COMPARED[kind]} {kind}" for kind in LISTING_KINDS)

    checks.run(EVERY_KIND_CHECK, every_kind_compared)
    if args.min_checks:
        def enough_checks():
            require(executed >= args.min_checks, f"only {executed} checks ran, expected at least {args.min_checks}")
            return f"{executed} ran"

        checks.run(MIN_CHECKS_CHECK.format(n=args.min_checks), enough_checks)

    total = checks.total
    print(f"conformance.py: {total} checks, {checks.passed} ok, {len(checks.failed)} failing", flush=True)
    if args.summary:
        with open(args.summary, "w", encoding="utf-8") as f:
            f.write(f"{checks.passed} {len(checks.failed)}\n")
            for name in checks.failed:
                f.write(name + "\n")
    return 0 if not checks.failed else 1


# --------------------------------------------------------------------------------------------
# Scenario preparation for Tests/Conformance/run
# --------------------------------------------------------------------------------------------


def write_jwt_scenario(args):
    """The default scenario plus a JWT app whose RSA key pair is generated now."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                    serialization.NoEncryption()).decode()
    public_pem = key.public_key().public_bytes(serialization.Encoding.PEM,
                                               serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    with open(args.scenario, encoding="utf-8") as f:
        scenario = json.load(f)
    enterprise = next(a for a in scenario["accounts"] if a.get("type") == "enterprise")
    app = {
        "name": "conformance-jwt-app",
        "client_id": "1190000000000000001",
        "key_id": "conformance-key-1",
        "public_key_pem": public_pem,
        "enterprise_id": enterprise["id"],
        "personal_account_grant": enterprise.get("personal_account_id"),
    }
    scenario["name"] = scenario.get("name", "scenario") + "+conformance-jwt"
    # The same key registered for an app no admin authorized: every token request is refused.
    unauthorized = dict(app, name="conformance-jwt-app-unauthorized", client_id="1190000000000000002",
                        authorized=False)
    scenario["jwt_apps"] = list(scenario.get("jwt_apps", [])) + [app, unauthorized]
    os.makedirs(args.out_dir, exist_ok=True)
    key_file = os.path.join(args.out_dir, "jwt-app-private-key.pem")
    with open(key_file, "w", encoding="utf-8") as f:
        f.write(private_pem)
    os.chmod(key_file, 0o600)
    with open(os.path.join(args.out_dir, "scenario-jwt.json"), "w", encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False, indent=1)
    with open(os.path.join(args.out_dir, "jwt-app.json"), "w", encoding="utf-8") as f:
        json.dump({"client_id": app["client_id"], "unauthorized_client_id": unauthorized["client_id"],
                   "private_key_file": key_file}, f)
    return 0


# Negative controls: each breaks one thing, and `check` must fail exactly the checks listed in
# `fails` (exact check names; the text after "FAIL name: " must contain the given fragment) and no
# other. `faults` are added to the scenario the simulator serves; `simulator` changes that scenario
# in other ways. The expectations are computed from the unbroken scenario unless `expectations` is
# "control" (then from the simulator's scenario too). Every control runs on every run: none is
# optional, and a control whose simulator does not start is a failure.
PERSONAL_WS_PAGED = "personal-pat: workspaces.list page_size=1, all pages (GET /v1/workspaces)"
PERSONAL_CONVERSATION_CHECKS = {
    # personal-pat's conversations in workspaces it can list: bot …01 has one on 1024 and one on
    # 999, bot …06 one on 1024 (its …04 on bot …03 is in the migrated Sales Team, which it cannot
    # list). The renamed field is `connector_id`, so the SDK view and the raw view of each
    # non-empty listing miss it. (Empty listings have no item to rename.)
    "personal-pat: conversations.list bot 7410000000000000001 page_size=1 (GET /v1/conversations)":
        "{'connector_id': (None, '1024')}",
    "personal-pat: [urllib] GET /v1/conversations bot 7410000000000000001 connector_id=1024 page_size=1":
        "documented fields missing ['connector_id']",
    "personal-pat: [urllib] GET /v1/conversations bot 7410000000000000001 connector_id=999 page_size=1":
        "documented fields missing ['connector_id']",
    "personal-pat: conversations.list bot 7410000000000000006 page_size=1 (GET /v1/conversations)":
        "{'connector_id': (None, '1024')}",
    "personal-pat: [urllib] GET /v1/conversations bot 7410000000000000006 connector_id=1024 page_size=1":
        "documented fields missing ['connector_id']",
}


def _grant_personal_account_to_enterprise_pat(scenario):
    """The visibility rule 'an enterprise token sees personal conversations and voices only with a
    personal-account grant', broken: the simulator grants enterprise-pat the personal account
    while the expectations (the unbroken scenario) say it has no grant."""
    personal = next(a["id"] for a in scenario["accounts"] if a.get("type") == "personal")
    for credential in scenario["credentials"]:
        if credential["name"] == "enterprise-pat":
            require(not credential.get("personal_account_grant"), "enterprise-pat already has a grant")
            credential["personal_account_grant"] = personal


def _empty_tenant(scenario):
    """No workspaces, bots, conversations or custom voices: every listing check passes vacuously."""
    for key in ("workspaces", "bots", "apps", "workflows", "conversations"):
        scenario[key] = []
    scenario["voices"] = [v for v in scenario.get("voices", []) if Tenant.is_system(v)]


CONTROLS = {
    # page 2 of personal-pat's workspace list (page_size=1) answers page 1 again, once: a repeated page.
    "repeat-page": {
        "faults": [{"endpoint": "GET /v1/workspaces", "credential": "personal-pat", "page_num": 2,
                    "kind": "repeat_page", "times": 1}],
        "fails": {PERSONAL_WS_PAGED: "missing ['7400000000000000004'], duplicate ids ['7400000000000000001']"},
    },
    # page 2 of the same listing comes back successful and empty with has_more still true, once:
    # a dropped page (one workspace silently lost).
    "drop-page": {
        "faults": [{"endpoint": "GET /v1/workspaces", "credential": "personal-pat", "page_num": 2,
                    "kind": "drop_page", "times": 1}],
        "fails": {PERSONAL_WS_PAGED: "missing ['7400000000000000004']"},
    },
    # page 2 of personal-pat's workflows answers page 1 again, once: the first page-2 request is
    # Marketing's (…04) two `workflow`-mode workflows at page_size=1, so …02 (the one inside app
    # …01) is lost and …01 seen twice.
    "repeat-workflow-page": {
        "faults": [{"endpoint": "GET /v1/workflows", "credential": "personal-pat", "page_num": 2,
                    "kind": "repeat_page", "times": 1}],
        "fails": {"personal-pat: workflows.list publish_status=all workflow_mode=workflow workspace "
                  "7400000000000000004 page_size=1 (GET /v1/workflows)":
                  "missing ['7460000000000000002'], duplicate ids ['7460000000000000001']"},
    },
    # the first voice page of personal-pat repeats its first item at its end, once.
    "duplicate-item": {
        "faults": [{"endpoint": "GET /v1/audio/voices", "credential": "personal-pat", "kind": "duplicate_ids",
                    "times": 1}],
        "fails": {"personal-pat: audio.voices.list voice_state=(default cloned) filter_system_voice=False page_size=2 "
                  "(GET /v1/audio/voices)": "duplicate ids ['7430000000000000001']"},
    },
    # `connector_id` renamed in every conversation item personal-pat gets. cozepy keeps connector_id
    # optional, so only the field comparison (SDK) and the documented-field check (raw) notice.
    "rename-field": {
        "faults": [{"endpoint": "GET /v1/conversations", "credential": "personal-pat", "kind": "rename_field",
                    "field": "connector_id", "rename_to": "connector"}],
        "fails": PERSONAL_CONVERSATION_CHECKS,
    },
    # a visibility rule broken: enterprise-pat sees the personal account's conversations without a
    # grant. Bot …03 (Sales Team, migrated) has personal conversation …04 next to the enterprise's
    # …05; bots …01 and …06 are in personal workspaces it cannot list (4101 either way); the
    # personal conversation …01 becomes retrievable. (Its voice listing is denied: 4101 either way.)
    "grant-leak": {
        "simulator": _grant_personal_account_to_enterprise_pat,
        "fails": {
            "enterprise-pat: conversations.list bot 7410000000000000003 page_size=1 (GET /v1/conversations)":
                "unexpected ['7420000000000000004']",
            "enterprise-pat: [urllib] GET /v1/conversations bot 7410000000000000003 connector_id=1024 page_size=1":
                "unexpected ['7420000000000000004']",
            "enterprise-pat: conversations.retrieve of another account's 7420000000000000001 -> 4200 (simulator model)":
                "no error, expected CozeAPIError 4200",
        },
    },
    # a tenant with nothing to list, served and expected alike: every listing check passes with
    # nothing compared, so only the floors can fail the run.
    "too-few-checks": {
        "simulator": _empty_tenant,
        "expectations": "control",
        "fails": {
            EVERY_KIND_CHECK: "no expected item was compared for ['workspaces', 'bots', 'apps', 'workflows', 'conversations']",
            MIN_CHECKS_CHECK: "only ",
        },
    },
}


def write_control_scenario(args):
    """The simulator's scenario (`--out`), the one the expectations come from (`--expect-out`), and
    the checks that must fail (`--fails-out`: JSON {check name: fragment})."""
    control = CONTROLS[args.kind]
    with open(args.scenario, encoding="utf-8") as f:
        original = json.load(f)
    scenario = json.loads(json.dumps(original))
    scenario["name"] = scenario.get("name", "scenario") + f"+control-{args.kind}"
    scenario["faults"] = list(scenario.get("faults", [])) + control.get("faults", [])
    if "simulator" in control:
        control["simulator"](scenario)
    require(scenario != original, f"control {args.kind} changes nothing")
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(scenario, f, ensure_ascii=False, indent=1)
    with open(args.expect_out, "w", encoding="utf-8") as f:
        json.dump(scenario if control.get("expectations") == "control" else original, f, ensure_ascii=False, indent=1)
    fails = {name.replace("{n}", str(args.min_checks)): fragment for name, fragment in control["fails"].items()}
    with open(args.fails_out, "w", encoding="utf-8") as f:
        json.dump(fails, f, ensure_ascii=False, indent=1)
    return 0


def judge_control(args):
    """A control passes when `check` exited 1 and failed exactly the listed checks, each with its fragment."""
    with open(args.fails, encoding="utf-8") as f:
        wanted = json.load(f)
    lines = open(args.output, encoding="utf-8", errors="replace").read().splitlines()
    failing = {}
    for line in lines:
        if not line.startswith("FAIL "):
            continue
        # Check names contain ": " themselves ("personal-pat: users.me …"), so a failing line is
        # matched against the listed names in full; any other failing line is kept whole.
        rest = line[5:]
        match = next((w for w in sorted(wanted, key=len, reverse=True) if rest.startswith(w + ": ")), None)
        if match:
            failing[match] = rest[len(match) + 2:]
        else:
            failing[rest] = ""
    problems = []
    if args.rc != 1:
        problems.append(f"conformance.py exited {args.rc}, expected 1")
    for name, fragment in wanted.items():
        if name not in failing:
            problems.append(f"the check did not fail: {name}")
        elif fragment not in failing[name]:
            problems.append(f"{name} failed for another reason: {failing[name][:200]!r} (expected {fragment!r})")
    for name in failing:
        if name not in wanted:
            problems.append(f"an unrelated check failed too: {name[:240]}")
    if problems:
        print(f"FAIL negative control {args.kind}: " + "; ".join(problems))
        return 1
    shown = "; ".join(f"{name}: {failing[name][:120]}" for name in wanted)
    print(f"ok   negative control {args.kind}: exited 1, failing exactly {len(wanted)} targeted check(s) — {shown}")
    return 0


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    check = sub.add_parser("check", help="run the conformance checks against a running simulator")
    check.add_argument("--base-url", required=True, help="simulator running the --scenario scenario")
    check.add_argument("--scenario", default=DEFAULT_SCENARIO, help="the scenario JSON it runs")
    check.add_argument("--jwt-base-url", help="simulator running --jwt-scenario (JWT checks)")
    check.add_argument("--jwt-scenario", help="scenario written by write-jwt-scenario")
    check.add_argument("--jwt-app", help="jwt-app.json written by write-jwt-scenario")
    check.add_argument("--summary", help="write 'PASSED FAILED' and the failing check names here")
    jwt = sub.add_parser("write-jwt-scenario", help="scenario + JWT app with a fresh RSA key pair")
    jwt.add_argument("--scenario", default=DEFAULT_SCENARIO)
    jwt.add_argument("--out-dir", required=True)
    check.add_argument("--min-checks", type=int, default=0,
                       help="fail (check 'at least N checks ran') when fewer checks ran before it")
    control = sub.add_parser("write-control-scenario", help="a negative control: the simulator's scenario, the "
                                                              "expectations' scenario and the checks that must fail")
    control.add_argument("kind", choices=sorted(CONTROLS))
    control.add_argument("--scenario", default=DEFAULT_SCENARIO)
    control.add_argument("--out", required=True, help="the scenario the simulator serves")
    control.add_argument("--expect-out", required=True, help="the scenario `check --scenario` computes expectations from")
    control.add_argument("--fails-out", required=True, help="JSON {exact check name: fragment of its failure}")
    control.add_argument("--min-checks", type=int, required=True, help="the --min-checks the control's check runs with")
    judge = sub.add_parser("judge-control", help="did the control's check fail exactly the listed checks?")
    judge.add_argument("kind")
    judge.add_argument("--fails", required=True, help="written by write-control-scenario --fails-out")
    judge.add_argument("--output", required=True, help="the control's `check` output")
    judge.add_argument("--rc", type=int, required=True, help="the control's `check` exit status")
    print_controls = sub.add_parser("list-controls", help="the control names, one a line")
    args = parser.parse_args(argv)
    if args.command == "check" and args.jwt_base_url and not (args.jwt_scenario and args.jwt_app):
        parser.error("--jwt-base-url needs --jwt-scenario and --jwt-app")
    try:
        if args.command == "check":
            return run_check(args)
        if args.command == "write-jwt-scenario":
            return write_jwt_scenario(args)
        if args.command == "judge-control":
            return judge_control(args)
        if args.command == "list-controls":
            print("\n".join(CONTROLS))
            return 0
        return write_control_scenario(args)
    except Exception:  # the script itself broke (unreadable scenario, …): not a conformance verdict
        traceback.print_exc()
        return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
