"""Build lexicons/ml_aliases.json from Made With ML's tags.json and textaug's curation.

Usage: python lexicons/build_ml_aliases.py ../shared/data/madewithml/tags.json

Every alias of the source's 68 tags with aliases was read by hand (see lexicons/SOURCE.md):
true other names stay aliases, written in their display form ("NLP", "PyTorch"); the rest
become keywords (they indicate the tag but are no other name for it: "outliers", "vision").
CURATED also adds common names the source misses, on tags of the source. The tags kept are
those with aliases or keywords, the tags above them (for label-aware gating), and every tag
of the source whose own name holds a phrase of a kept tag ("semantic-segmentation" holds
"segmentation"), as a keyword, so that the longer phrase wins and is never half swapped.
"""

import json
import re
import sys
from pathlib import Path

INVARIANT = ["kubernetes", "k8s", "aws", "amazon web services", "weights and biases", "wandb",
             "weights & biases", "node js", "tensorflow js", "tf js", "js", "recsys", "pos",
             "tensorflow.js", "tf.js", "node.js", "nodejs", "scikit-learn", "sklearn", "bert",
             "bidirectional encoder representations from transformers"]

# tag: (aliases in display form, the tag's own name first when it has one; keywords).
# A tag whose own name is among its keywords is no alias of itself.
CURATED: dict[str, tuple[list[str], list[str]]] = {
    "3d": (["3D", "three-dimensional", "3-dimensional"], []),
    "animations": ([], ["cartoons"]),
    "annotation": (["annotation", "data annotation", "labeling", "data labeling"], []),
    "artificial-general-intelligence": (["AGI"], []),
    "autoencoders": (["autoencoders", "auto-encoders"], ["ae"]),
    "aws": (["AWS", "Amazon Web Services"], []),
    "c++": (["C++"], ["cpp"]),
    "ci-cd": ([], ["ci-cd", "cicd", "continuous integration", "continuous deployment"]),
    "computer-vision": (["CV"], ["vision"]),
    "conditional-random-fields": (["CRF"], []),
    "conversational-ai": (["conversational AI"], ["chatbot"]),
    "convolutional-neural-networks": (["CNN", "ConvNet"], []),
    "databases": ([], ["db"]),
    "deep-learning": (["DL"], []),
    "deep-q-networks": (["deep Q-networks", "DQN"], []),
    "expectation-maximization": ([], ["em"]),
    "exploratory-data-analysis": (["EDA"], []),
    "fine-tuning": (["fine-tuning", "finetuning"], ["finetune"]),
    "gated-recurrent-units": (["GRU"], []),
    "gaussian-processes": (["Gaussian processes", "GP"], []),
    "generative-adversarial-networks": (["GAN", "generative adversarial nets"], []),
    "graph-convolutional-networks": (["GCN"], []),
    "graph-neural-networks": (["GNN"], []),
    "hyperparameter-optimization": (["hyperparameter tuning", "hyperparameter search", "HPO"],
                                    ["hp"]),
    "image-generation": (["image synthesis"], []),
    "inference": ([], ["prediction"]),
    "information-retrieval": (["IR"], []),
    "javascript": (["JavaScript", "JS"], []),
    "k-nearest-neighbors": (["k-nearest neighbors", "KNN", "k-NN"], []),
    "knowledge-base": (["KB"], []),
    "kubernetes": (["Kubernetes", "K8s"], []),
    "language-modeling": (["language modeling", "language modelling"], []),
    "latent-dirichlet-allocation": (["latent Dirichlet allocation", "LDA"], []),
    "learning-rates": ([], ["lr"]),
    "lstm": (["LSTM", "long short-term memory"], []),
    "machine-learning": (["ML"], []),
    "machine-translation": (["MT"], []),
    "model-compression": ([], ["compression"]),
    "multilayer-perceptrons": (["MLP"], ["perceptron"]),
    "named-entity-recognition": (["NER"], []),
    "natural-language-processing": (["NLP", "NLProc"], []),
    "natural-language-understanding": (["NLU"], []),
    "node-js": (["Node.js", "NodeJS"], ["node-js", "node"]),
    "optical-character-recognition": (["OCR"], []),
    "outlier-detection": ([], ["outliers"]),
    "part-of-speech-tagging": (["part-of-speech tagging", "POS tagging"], ["pos"]),
    "pretraining": (["pretraining", "pre-training"], []),
    "principal-component-analysis": (["PCA"], []),
    "quasi-recurrent-neural-networks": (["QRNN"], []),
    "question-answering": (["QA"], []),
    "recommendation-systems": (["recommender systems"], ["recsys"]),
    "recurrent-neural-networks": (["RNN"], []),
    "reinforcement-learning": (["RL"], []),
    "scikit-learn": (["scikit-learn", "sklearn"], []),
    "segmentation": (["image segmentation"], ["segmentation"]),
    "spatial-temporal-cnn": (["spatial-temporal CNN", "STCNN"], []),
    "streaming-data": (["data streams"], ["data streaming", "real-time data"]),
    "support-vector-machines": (["SVM"], []),
    "tabular": (["tabular data"], ["tabular", "table"]),
    "temporal-cnn": (["temporal CNN", "TCNN"], []),
    "tensorflow": (["TensorFlow", "TF"], []),
    "tensorflow-js": (["TensorFlow.js", "TF.js"], ["tensorflow-js", "tf-js"]),
    "tensorflow-lite": (["TensorFlow Lite", "TFLite", "TF Lite"], []),
    "time-series": (["time series"], ["time series analysis"]),
    "variational-autoencoders": (["VAE"], []),
    "visual-question-answering": (["VQA"], []),
    "visualization": (["data visualization"], ["visualization"]),
    "wandb": (["Weights & Biases", "Weights and Biases", "W&B"], ["wandb"]),
    # common names the source misses (tags of the source without aliases)
    "automl": (["AutoML", "automated machine learning"], []),
    "dimensionality-reduction": (["dimensionality reduction", "dimension reduction"], []),
    "hidden-markov-models": (["hidden Markov models", "HMM"], []),
    "huggingface": (["Hugging Face", "HuggingFace"], []),
    "knowledge-graphs": (["KG"], []),
    "multi-task-learning": (["multi-task learning", "MTL"], []),
    "neural-networks": (["neural networks", "neural nets"], []),
    "natural-language-inference": (["NLI"], []),
    "paraphrase-identification": (["paraphrase identification", "paraphrase detection"], []),
    "random-forests": (["random forests", "random decision forests"], []),
    "regression": (["regression", "regression analysis"], []),
    "representation-learning": (["representation learning", "feature learning"], []),
    "residual-networks": (["ResNet"], []),
    "self-supervised-learning": (["self-supervised learning", "SSL"], []),
    "semantic-role-labeling": (["SRL"], []),
    "sentiment-analysis": (["sentiment analysis", "opinion mining"], []),
    "sequence-to-sequence": (["sequence-to-sequence", "seq2seq"], []),
    "text-classification": (["text classification", "text categorization"], []),
    "speech-recognition": (["ASR", "automatic speech recognition", "speech-to-text"], []),
    "text-to-speech-synthesis": (["text-to-speech", "TTS"], ["text-to-speech-synthesis"]),
    "topic-modeling": (["topic modeling", "topic modelling"], []),
    "word-embeddings": (["word vectors"], []),
    "word-sense-disambiguation": (["WSD"], []),
    # common names without a tag of their own in the source: new tags, with their parents
    "bert": (["BERT", "Bidirectional Encoder Representations from Transformers"], []),
    "deep-neural-networks": (["deep neural networks", "DNN"], []),
    "language-models": (["language models", "LM"], []),
}
NEW_TAGS = {"bert": ["transformers", "natural-language-processing"],
            "deep-neural-networks": ["deep-learning", "neural-networks"],
            "language-models": ["language-modeling"]}


def _words(phrase: str) -> str:
    return " " + " ".join(re.split(r"[\s\-]+", phrase.lower())) + " "


def _entry(tag: str, info: dict) -> dict:
    aliases, keywords = CURATED.get(tag, ([], []))
    return {"aliases": aliases, "keywords": keywords, "parents": info["parents"]}


def build(tags: list[dict]) -> dict:
    by_tag = {t["tag"]: t for t in tags}
    by_tag.update({tag: {"tag": tag, "aliases": [], "parents": parents}
                   for tag, parents in NEW_TAGS.items()})
    unknown = sorted(set(CURATED) - set(by_tag))
    if unknown:
        raise SystemExit(f"curated tags not in the source: {unknown}")
    sourced = {t["tag"] for t in tags if t["aliases"]}
    uncurated = sorted(sourced - set(CURATED))
    if uncurated:
        raise SystemExit(f"source tags with aliases not curated: {uncurated}")
    keep = set(CURATED)
    phrases = [_words(p) for tag in keep for p in [tag, *CURATED[tag][0], *CURATED[tag][1]]]
    longer = {t for t in by_tag if t not in keep and any(p in _words(t) for p in phrases)}
    stack = list(keep | longer)
    keep |= longer
    while stack:
        for parent in by_tag.get(stack.pop(), {}).get("parents", []):
            if parent not in keep:
                keep.add(parent)
                stack.append(parent)
    entries = {}
    for tag in sorted(keep & set(by_tag)):
        entry = _entry(tag, by_tag[tag])
        if tag in longer:
            entry["keywords"] = [tag]
        entries[tag] = {k: v for k, v in entry.items() if v or k != "keywords"}
    return {
        "name": "ml_aliases",
        "source": "Made With ML datasets/tags.json (GokuMohandas/Made-With-ML, commit 07389b7), "
                  "MIT License, Copyright (c) 2020 Made With ML; aliases curated for textaug "
                  "(lexicons/build_ml_aliases.py). See lexicons/SOURCE.md.",
        "tags": entries,
        "invariant": INVARIANT,
    }


if __name__ == "__main__":
    source = Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/data/madewithml/tags.json")
    out = Path(__file__).with_name("ml_aliases.json")
    out.write_text(json.dumps(build(json.loads(source.read_text())), indent=1) + "\n")
    print(f"wrote {out}")
