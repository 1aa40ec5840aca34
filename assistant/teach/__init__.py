"""Teach: concept cards, quizzes and CPD records built from the materials."""
