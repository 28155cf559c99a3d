"""Row-level security on PostgreSQL: the database's own wall behind the repository's scoping.

Roles (cluster-wide, created by the first `leadtui db upgrade`, which needs a superuser then):
- `leadtui_owner` (NOLOGIN, BYPASSRLS, CREATEROLE) owns every table and function. The
  administrator's login and the server's login are members of it.
- `leadtui_user` (NOLOGIN) holds what acting for a colleague may do, and owns nothing. Every
  transaction the repository runs for a colleague takes it (`SET LOCAL ROLE`, in the backend)
  and names the colleague in the setting `leadtui.colleague`; both end with the transaction.

Every policy reads the acting company through `leadtui_company()`, which is NULL without an
acting colleague (so such a transaction sees and writes nothing) and raises "Ihr Zugang ist
deaktiviert." for a deactivated colleague - in the same round trip as the query. Colleagues
have no database logins of their own (revision 0014 retired them): they sign in to the server.

The SQL itself lives in the revisions that created it (db/migrations/versions), frozen there.
"""

from __future__ import annotations

OWNER_ROLE = "leadtui_owner"
USER_ROLE = "leadtui_user"
ACTING_SETTING = "leadtui.colleague"
# The SQLSTATE a deactivated colleague's transaction gets (our own class "LT", unused by
# PostgreSQL): the app recognises the state, never the words.
DEACTIVATED_STATE = "LTD01"
