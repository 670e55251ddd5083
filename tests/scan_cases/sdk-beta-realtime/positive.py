from openai import AsyncOpenAI
from openai.types.beta.realtime import SessionUpdateEvent  # expect[sdk-beta-realtime]

client = AsyncOpenAI()
async with client.beta.realtime.connect(model="gpt-realtime-2.1") as conn:  # expect[sdk-beta-realtime]
    pass
