"""Persistence: every table, the repositories over them, and the unit of work.

- `tables`: the one module that declares every table (Alembic's target; the only schema)
- `repository`: `SqlRepository` (the services' `Repository` port, each call one transaction)
  and `UnitOfWork` (several calls, one transaction)
- one module per aggregate, each over a given connection: `profiles` (users), `flows` (flow
  states and verification codes), `requests` (requests and their audit log), `outbox`,
  `telegram_updates`, `secrets` (app secrets and the encryption-key check)
- `retention` (the purge, over an explicit list of tables) and `key_rotation`
- `limits.LimitStore`: the e-mail verification counters and the staff alerts they raise
- the Slack side (`slack_store.SlackStore`): `slack_messages` (posts and renders),
  `reminder_claims` (claims, schedule, candidates), `slack_events` (retried deliveries)
"""
