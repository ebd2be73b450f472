from __future__ import annotations

import os

from piccolo.conf.apps import AppConfig

from backend.feedback.tables import (
    FeedbackRoute,
    PageFeedback,
    ProblemReport,
    ServiceRating,
    SurveyResponse,
)

CURRENT_DIRECTORY = os.path.dirname(os.path.abspath(__file__))

APP_CONFIG = AppConfig(
    app_name="feedback",
    migrations_folder_path=os.path.join(CURRENT_DIRECTORY, "piccolo_migrations"),
    table_classes=[PageFeedback, FeedbackRoute, ProblemReport, ServiceRating, SurveyResponse],
    migration_dependencies=[],
    commands=[],
)
