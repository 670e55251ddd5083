// was: import { OpenAIRealtimeWS } from "openai/beta/realtime/ws";
import { OpenAIRealtimeWS } from "openai/realtime/ws";
import { RealtimeAgent } from "@openai/agents/realtime";
const threads = openai.beta.threads;
