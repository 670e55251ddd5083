from openai import AsyncOpenAI
from openai.types.realtime import SessionUpdateEvent

# client.beta.realtime was the beta client
client = AsyncOpenAI()
async with client.realtime.connect(model="gpt-realtime-2.1") as conn:
    pass
assistants = client.beta.assistants
