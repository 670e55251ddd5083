# We used to send "OpenAI-Beta": "realtime=v1"; the GA interface needs no beta header.
ASSISTANTS = {"OpenAI-Beta": "assistants=v2"}
HEADERS = {"Authorization": f"Bearer {KEY}"}
log.info("dropped the OpenAI-Beta header")
BETA = "OpenAI-Beta"
