import websockets

HEADERS = {"Authorization": f"Bearer {KEY}", "OpenAI-Beta": "realtime=v1"}  # expect[beta-header]
PAIRS = [("Authorization", "Bearer x"), ("OpenAI-Beta", "realtime=v1")]  # expect[beta-header]
headers = {
    "OpenAI-Beta": "realtime=v1",  # expect[beta-header]
}
header = ["Authorization: Bearer " + KEY, "OpenAI-Beta: realtime=v1"]  # expect[beta-header]
session.headers["openai-beta"] = "realtime=v1"  # expect[beta-header]
