"""Writers of the scored assessments: JSON, CSV and XLSX, each written atomically."""
