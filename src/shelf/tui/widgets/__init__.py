"""The app's widgets: the results list, the preview and the personal pane."""
