client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
EXAMPLE = "sk-proj-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
PLACEHOLDER = "sk-your-key-here-replace-me-0000"
SHORT = "sk-abc"
masked = "sk-proj-...0000"
