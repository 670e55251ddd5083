import { RealtimeClient } from "@openai/realtime-api-beta"; // expect[sdk-beta-realtime]
import { OpenAIRealtimeWS } from "openai/beta/realtime/ws"; // expect[sdk-beta-realtime]
const rt = await openai.beta.realtime.connect({ model }); // expect[sdk-beta-realtime]
const legacy = require("openai-realtime-api-beta"); // expect[sdk-beta-realtime]
