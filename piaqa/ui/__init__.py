"""The Gradio page: a thin shell over piaqa.qa.Assistant."""
