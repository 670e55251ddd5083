client = OpenAI(api_key="sk-proj-FAKE0000000000000000000000000000000000TEST")  # expect[hardcoded-key]
# old key: sk-FAKE00000000000000000000000000000TEST  # expect[hardcoded-key]
ADMIN = "sk-admin-FAKE000000000000000000000000TEST"  # expect[hardcoded-key]
