"""The Slack staff side (slack-bolt), laid out like Slack's bolt starter template.

app.py          the bolt app: middleware, then every listener registered by kind
intake.py       HTTP mode: the signature checked on the raw body, then the payload's shape
context.py      what the listeners share: the use cases, the message records, the staff
                directory, the clock; the refusal and the in-place message refresh
listeners/      actions.py (buttons), views.py (modal submissions), commands.py (`/privbot`),
                events.py (App Home)
staff.py        who may act (`PRIVBOT_SLACK_STAFF` users and user groups)
records.py      the records Slack keeps in the database (posted messages, renders, events)
messages.py     chat.postMessage / chat.update with privbot's error handling
poster.py       each verified request posted once, its message kept current
staff_channel.py  reminders, the daily digest and rejected content edits in the staff channel
alerts.py       verification abuse alerts in the staff channel
blocks.py       Block Kit: pure functions of a request and "today"
connection.py   Socket Mode or HTTP mode, started and stopped by the runtime
"""
