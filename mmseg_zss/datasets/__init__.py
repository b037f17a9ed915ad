from .class_names import DATASETS, get_classes, get_phrases

__all__ = ['DATASETS', 'get_classes', 'get_phrases']
