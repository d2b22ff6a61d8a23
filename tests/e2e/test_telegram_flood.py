"""One user's flood must not delay another user: fair lanes and a per-user inbound limit,
through the real Telegram adapter against the loopback Bot API server."""

from __future__ import annotations

from privbot.content.knowledge import Knowledge
from privbot.core import messages as M
from privbot.core.model import Language
from tests.e2e.telegram_support import Running
from tests.fakes.telegram_server import FakeTelegram

FLOODER = 2001
NORMAL = 2002
FLOOD = 60
# A long legal message, well under the engine's length cap.
LONG = (
    "Bonjour, conformément au règlement général sur la protection des données, et en "
    "particulier à ses articles 12 à 22, je souhaite savoir combien de temps vous conservez "
    "mes données personnelles, sur quelle base légale, et avec quels sous-traitants "
    "vous les partagez, y compris hors de l'Union européenne. "
) * 4


async def test_a_flooding_user_does_not_delay_another_user(
    tg: FakeTelegram, bot: Running, knowledge: Knowledge
) -> None:
    await bot.start()
    mark = tg.mark()
    for _ in range(FLOOD):
        tg.send_text(FLOODER, LONG)
    tg.send_text(NORMAL, "Quels cookies utilisez-vous ?")
    await tg.wait_messages(NORMAL, mark, timeout=30)
    await tg.wait_messages(FLOODER, mark, quiet=1.0, timeout=30)
    sent = [int(c.params["chat_id"]) for c in tg.calls[mark:] if c.method == "sendMessage"]
    assert NORMAL in sent
    # Measured by position, not time: the normal user's reply goes out before the flooder's
    # fifth message (before the fix it waited behind about thirty of the flooder's answers).
    assert sent.index(NORMAL) < [i for i, chat in enumerate(sent) if chat == FLOODER][4]
    # Past the limit the flooder is told once, in their language, and the rest is dropped.
    flooder = tg.messages(FLOODER, mark)
    slow_down = knowledge.catalogue.text(Language.FR, M.SLOW_DOWN)
    assert [m["text"] for m in flooder].count(slow_down) == 1
    answered = len(flooder) - 1
    assert answered < FLOOD // 2
