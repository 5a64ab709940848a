"""Published roles, browsed by candidates and visitors, and "je suis intéressé·e"."""
