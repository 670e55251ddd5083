"""The failure modes users hit on the way to the Realtime API, with the public reports behind each.

Pure data. Diagnoses name the modes they cover (`Diagnosis.failures`, "F36"); `explain` and
`emulate --list` show those ids, and docs/failures.md (generated from this table and the
diagnosis catalogue by render/failures_doc.py) lists every mode with its sources.
Citations: `owner/repo#N` is a GitHub issue, `PR#N` a pull request, a bare `#N` is in the
repository named just before it, `community/<id>` is a thread on community.openai.com.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FailureMode:
    id: str  # "F01".."F50"
    title: str
    stage: str  # where in the staged checks it surfaces (S0 config .. S9 first response, SX other paths)
    sources: str  # public reports, as citations


FAILURE_MODES: tuple[FailureMode, ...] = (
    FailureMode(
        "F01",
        "Key not reaching the process",
        "S0 (before any network call)",
        "ivnvxd/hack-interview#2, MainAIdk/AI-short-generator#1, wandb/openui#84, cylabcyberautonomy/Incalmo#57, NVIDIA-NeMo/Guardrails#371 (fixed by restarting the IDE).",
    ),
    FailureMode(
        "F02",
        "Placeholder, URL or junk pasted as the key",
        "S0 (lintable locally), otherwise S4",
        "continuedev/continue#12778, #10250, #10253, #10398, #10088; SevaSk/ecoute#163.",
    ),
    FailureMode(
        "F03",
        "Stale, deleted or auto-rotated key",
        "S4",
        "jackMort/ChatGPT.nvim#67, fredrikburmester/streamystats#223, vaguenebula/AlpacaDataReflect#2, agnt-gg/agnt#1.",
    ),
    FailureMode(
        "F04",
        "A relay/gateway credential sent to api.openai.com (or the reverse)",
        "S4 (REST) or S7 (WebRTC `/calls`)",
        "chatanywhere/GPT_API_free#62, popjane/free_chatgpt_api#3, strelov1/freehire PR#1736.",
    ),
    FailureMode(
        "F05",
        "Wrong base URL (REST and WebSocket)",
        "S0/S4 (REST), S7 (WS)",
        "stitionai/devika#456, BadgerHobbs/OpenAI-API-Gateway#1, harry0703/MoneyPrinterTurbo#57, tsundereraws/aisub-translator#2, nmamizerov/assemblix PR#66, BerriAI/litellm PR#11398, peterdemin/openai-cli#14, promptfoo/promptfoo#5437, openai-python `resources/realtime/realtime.py`.",
    ),
    FailureMode(
        "F06",
        "Organization / project header mismatch",
        "S4",
        "microsoft/foundry-dev-tools#262, Realiserad/fish-ai#62, AIDotNet/OpenDeepWiki#5, Azure-Samples/ai-rag-chat-evaluator#76, tom-doerr/zsh_codex#5, Aider-AI/aider#3717, Mintplex-Labs/anything-llm#10, betalgo/openai PR#11.",
    ),
    FailureMode(
        "F07",
        "Python `websockets` version mismatch",
        "S7 (fails before any bytes are sent)",
        "mdagost/openai-realtime-streamlit#8, python-websockets/websockets#1588, twilio-samples/speech-assistant-openai-realtime-api-python PR#43, plbiojout/yc-interview-prep#3, heiko-hotz/gemini-multimodal-live-dev-guide#10, Chainlit/cookbook PR#181, monuminu/AOAI_Samples PR#6.",
    ),
    FailureMode(
        "F08",
        "SDK bug or SDK/protocol generation mismatch",
        "S7/S9",
        "openai/openai-agents-python#3133, #1708; openai/openai-realtime-api-beta#89, #78.",
    ),
    FailureMode(
        "F09",
        "Name resolution fails (mostly inside containers)",
        "S1",
        "xcatliu/chatgpt-next#61, aschmelyun/subvert#12, lobehub/lobehub#3822, langgenius/dify#1602, Chainlit/cookbook#185.",
    ),
    FailureMode(
        "F10",
        "Outbound 443 blocked or black-holed",
        "S2",
        "openai/openai-python#91, Significant-Gravitas/AutoGPT#1226, chenfei-wu/TaskMatrix#323, Wytamma/write-the#16, harry0703/MoneyPrinterTurbo#57.",
    ),
    FailureMode(
        "F11",
        "Proxy works for the browser but not for Python/WebSockets",
        "S2 (and S7 specifically)",
        "chatchat-space/Langchain-Chatchat#2318, openai/openai-python#2275 (fixed by PR#2271), Azure-Samples/aisearch-openai-rag-audio PR#74, WeblateOrg/weblate#11868, langflow-ai/langflow#635.",
    ),
    FailureMode(
        "F12",
        "Proxy configured, but wrongly",
        "S2/S3",
        "open-webui/open-webui#15683, Realiserad/fish-ai PR#481, chatchat-space/Langchain-Chatchat#605, encode/httpx#951, psf/requests#5843, diffbot/code-gpt-docs#33, cubewise-code/tm1py#531.",
    ),
    FailureMode(
        "F13",
        "Own relay / reverse proxy breaks the WebSocket upgrade",
        "S7",
        "pyxle-dev/pyxle PR#3, hispanico/ansible-nginx-revproxy PR#50, BerriAI/litellm PR#36151, BerriAI/litellm#8828.",
    ),
    FailureMode(
        "F14",
        "Corporate TLS interception (Zscaler and similar)",
        "S3",
        "Aider-AI/aider#77, ricklamers/shell-ai#16, rowboatlabs/rowboat#695, raiyanyahya/prompt#6, numman-ali/opencode-openai-codex-auth#76, weaviate/Verba#225, dialogflow/dialogflow-nodejs-client#62, openai/openai-python#326, marketcalls/openalgo PR#551.",
    ),
    FailureMode(
        "F15",
        "TLS handshake refused upstream",
        "S3",
        "OpenBMB/ChatDev#71, openai/openai-realtime-api-beta#95, openai/openai-realtime-console#513.",
    ),
    FailureMode(
        "F16",
        "Account not attached to an organization",
        "S4",
        "OpenHands/OpenHands#2562; OpenAI error-codes guide.",
    ),
    FailureMode(
        "F17",
        "Unsupported country, region or territory",
        "S4 (any endpoint)",
        "songquanpeng/one-api#1692, web-infra-dev/midscene#253, james-6-23/codex2api#77, ChatGPTNextWeb/NextChat#5101, openai/openai-python#463.",
    ),
    FailureMode(
        "F18",
        "IP allowlist on the project/organization",
        "S4",
        "developers.openai.com/docs/guides/error-codes (no issue threads found; low frequency).",
    ),
    FailureMode(
        "F19",
        "Restricted key lacks scopes",
        "S4/S5",
        "ianand/spreadsheets-are-all-you-need#12, pressidium/pressidium-cookie-consent#156, charonn0/Xojo-OpenAI#8.",
    ),
    FailureMode(
        "F20",
        "Non-JSON error pages (Cloudflare 5xx) and overloads",
        "S4 and any HTTP step",
        "Significant-Gravitas/AutoGPT#944, n8n-io/n8n#18275, BerriAI/litellm#833, earendil-works/pi#6673, openai/openai-python#414.",
    ),
    FailureMode(
        "F21",
        "`model_not_found` for a realtime model",
        "S5 if probed by REST; in practice it surfaces at S9 (see F41)",
        "openai/openai-realtime-console#561, openai/openai-realtime-agents#28, openai/openai-realtime-api-beta#114, #119, kizuna-ai-lab/sokuji#115, PR#349, kwindla/pipecat-dictation PR#3, jianchang512/pyvideotrans#499.",
    ),
    FailureMode(
        "F22",
        "Project-level model allowlist",
        "S5",
        "cursor/cursor#2953, jianyuan/terraform-provider-openai#224, PR#243.",
    ),
    FailureMode(
        "F23",
        "Organization verification gate",
        "S5 (model-specific)",
        "danny-avila/LibreChat#6926, continuedev/continue#8209, openai/openai-go#565, Code-with-Beto/snapai#9, cunnymessiah/keychecker PR#12.",
    ),
    FailureMode(
        "F24",
        "Realtime model used on the wrong endpoint (or vice versa)",
        "S5",
        "Mintplex-Labs/anything-llm#2551, SciSharp/BotSharp PR#959, steve02081504/fount PR#294.",
    ),
    FailureMode(
        "F25",
        "Staged rollout: account has no access yet",
        "S7 (historic, Oct 2024), pattern recurs with new models",
        "openai/openai-realtime-console#4, #10, #12, #18; openai/openai-realtime-api-beta#2; livekit-examples/realtime-playground#5; langchain-ai/react-voice-agent PR#1.",
    ),
    FailureMode(
        "F26",
        "Beta vs GA minting endpoint and response shape",
        "S6",
        "TanStack/ai#586, PR#699, maximhq/bifrost PR#2337, openai/openai-agents-js#1278.",
    ),
    FailureMode(
        "F27",
        "Minting fails for some key types",
        "S6",
        "openai/openai-realtime-console#507.",
    ),
    FailureMode(
        "F28",
        "Ephemeral secret expired, reused, or used where it cannot be",
        "S6→S7",
        "community/1314532, ReviewStage/luke PR#204, openai/openai-agents-js PR#1325, #201, openai/openai-realtime-agents#119, recombee/node-api-client#4 (clock-skew pattern).",
    ),
    FailureMode(
        "F29",
        "Ephemeral secret combined with a conflicting connection URL",
        "S7",
        "maximhq/bifrost PR#5136, TanStack/ai PR#699.",
    ),
    FailureMode(
        "F30",
        "Transcription-session tokens used with the conversation endpoint",
        "S6→S7",
        "community/1148799, community/1334200, community/1314532.",
    ),
    FailureMode(
        "F31",
        "No Authorization header on the upgrade (browsers, edge runtimes)",
        "S7",
        "community/971032, answeroverflow.com/m/1404752693007880285, langwatch/langwatch PR#7066, kizuna-ai-lab/sokuji#115.",
    ),
    FailureMode(
        "F32",
        "Handshake rejected with a bare status and no explanation",
        "S7",
        "openai/openai-realtime-api-beta#2, jesuscopado/samantha-os1-openai-realtime#1, livekit/agents#3817, livekit-examples/agent-starter-python#23, python-websockets/websockets#1231, desktop-commander/remote-desktop-commander#9 (same lesson, non-OpenAI service).",
    ),
    FailureMode(
        "F33",
        "404 on the realtime path",
        "S7",
        "openai/openai-realtime-console#562, Azure-Samples/aisearch-openai-rag-audio PR#6.",
    ),
    FailureMode(
        "F34",
        "Handshake 500 with a non-API-key credential after the beta shut-off",
        "S7",
        "kirklandsig/AIReceptionist#18, PR#19.",
    ),
    FailureMode(
        "F35",
        "Handshake 429",
        "S7",
        "Azure-Samples/aisearch-openai-rag-audio#37.",
    ),
    FailureMode(
        "F36",
        "Beta protocol after the shut-off (`beta_api_shape_disabled`)",
        "S8 (upgrade succeeds, first frame is an error)",
        'langwatch/scenario#602, OpenWhispr/openwhispr#782, PR#787, PR#820, api7/aisix PR#1061, jsboige/CoursIA PR#13149, infinitocloud/asterisk_to_openai_rt_community#4, Natively-AI-assistant/natively-cluely-ai-assistant#296, TanStack/ai#586, longform.social mirror of the OpenAI community thread "Open AI realtime WS connections are cut off continuously".',
    ),
    FailureMode(
        "F37",
        "Invalid key reported after the upgrade (close 3000)",
        "S8",
        "twilio-samples/speech-assistant-openai-realtime-api-python#4, openai/openai-realtime-api-beta#2.",
    ),
    FailureMode(
        "F38",
        "Transcription-mode mistakes",
        "S8",
        "openai/openai-python#2253, livekit/agents-js#1756, crmitchelmore/justspeaktoit PR#427, BerriAI/litellm#13471, richiejp/VoxInput#22, OpenWhispr/openwhispr PR#811.",
    ),
    FailureMode(
        "F39",
        "GA/beta shape mismatch in `session.update`",
        "S8/S9 (connection stays up)",
        "openai/openai-python#2638, pipecat-ai/pipecat PR#1324, BerriAI/litellm#18969, PR#27110, TanStack/ai#586, PR#699, livekit/agents PR#3412/PR#3419, OpenWhispr/openwhispr PR#811.",
    ),
    FailureMode(
        "F40",
        "Early or abnormal close with little information",
        "S8 onward",
        "community/1154294, community/1082530, twilio-samples/speech-assistant-openai-realtime-api-python#57, pollen-robotics/reachy_mini_conversation_app#82, livekit/agents PR#925, openai/openai-agents-python PR#4458.",
    ),
    FailureMode(
        "F41",
        "Errors hidden inside `response.done`",
        "S9 (everything before succeeded)",
        "openai/openai-realtime-console#561, openai/openai-realtime-agents#28, twilio-samples/speech-assistant-openai-realtime-api-node#37, 2FastLabs/agent-squad#573, livekit/agents PR#2967.",
    ),
    FailureMode(
        "F42",
        "No credits / quota (`insufficient_quota`, `credit_balance_exhausted`)",
        "S9 (also any REST call; WebRTC `/calls` returns it as HTTP 429)",
        "ChatGPTNextWeb/NextChat#3123, promptfoo/promptfoo#10855, PR#10881, simonw/llm#494, joschan21/quill#89, bakks/butterfish#3, passionweb-manuel-schnabel/ai-seo-helper#19, langchain-ai/langchainjs#1929, mindsdb/anton PR#284, everruns/yolop#93, openai/openai-agents-js PR#1461.",
    ),
    FailureMode(
        "F43",
        "Rate limits",
        "S9 (429 on REST, or failed responses / `rate_limits.updated` over WS)",
        "openai/openai-agents-js#1022, openai/openai-realtime-console#42, BuilderIO/micro-agent#86, TheR1D/shell_gpt#653, livekit/agents PR#2967.",
    ),
    FailureMode(
        "F44",
        "`server_error` with a session id",
        "S9",
        "openai/openai-realtime-console#493, #51, openai/openai-realtime-api-beta#111, p-i-/openai-realtime-py#5, livekit/agents#4617.",
    ),
    FailureMode(
        "F45",
        "Session length cap",
        "S9 (long-running only)",
        "livekit/agents#2341, #2358, openai/openai-realtime-api-beta#23, openai/openai-agents-js#1278.",
    ),
    FailureMode(
        "F46",
        "Other schema rejections that leave the agent half-configured",
        "S9",
        "openai/openai-realtime-api-beta#9, livekit/agents#1403, #3398, #1183, davidmigloz/langchain_dart#643.",
    ),
    FailureMode(
        "F47",
        'Wrong model actually used (cost surprise, "access" confusion)',
        "S7/S9",
        "pipecat-ai/pipecat#2801, PR#3000, openai/openai-realtime-api-beta#89.",
    ),
    FailureMode(
        "F48",
        "WebRTC SDP exchange errors disguised as SDP parse errors",
        "SX (WebRTC and Azure, outside the checks)",
        "openai/openai-agents-js#544, #484, PR#1461, espressif/esp-webrtc-solution#17, openclaw/openclaw#76435.",
    ),
    FailureMode(
        "F49",
        "WebRTC media blocked (UDP/ICE)",
        "SX (WebRTC and Azure, outside the checks)",
        "espressif/esp-webrtc-solution#9, openai/openai-realtime-embedded#17, outspeed-ai/voice-devtools PR#106.",
    ),
    FailureMode(
        "F50",
        "Azure OpenAI realtime specifics",
        "SX (WebRTC and Azure, outside the checks)",
        "chatboxai/chatbox#646, monuminu/AOAI_Samples#5, Azure-Samples/aisearch-openai-rag-audio PR#6, #48, #15, livekit/agents PR#5228, Azure-Samples/aoai-realtime-audio-sdk#53, openai/openai-python#2120, learn.microsoft.com realtime-audio-preview-api-migration-guide.",
    ),
)

BY_ID: dict[str, FailureMode] = {mode.id: mode for mode in FAILURE_MODES}
