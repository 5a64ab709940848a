"""Spreadsheet exports (CSV and XLSX): the writer, the tables and the download routes."""
