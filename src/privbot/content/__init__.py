"""Loading and validating the admin-edited content: intents/ and policy_corpus/."""
