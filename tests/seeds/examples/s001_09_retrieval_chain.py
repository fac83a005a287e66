"""Seed 001, python blocks 9, 10 and 11: a retriever streams its documents; a retrieval chain streams its answer.

FAISS with OpenAI embeddings is replaced by a local vector store over a
bag-of-words embedding (``seed_fakes``); ``model`` (block 2) by a scripted fake.
Block 9 ends with the notebook expression ``chunks``; here it is printed.
"""

from runtime.prompts import ChatPromptTemplate
from runtime.runnables import RunnablePassthrough, StrOutputParser
from seed_fakes import FakeEmbeddings, InMemoryVectorStore, chat_model

model = chat_model(
    "Based on the given context, the only information provided about where Harrison worked is that he worked at Kensho."
)

template = """Answer the question based only on the following context:
{context}

Question: {question}
"""
prompt = ChatPromptTemplate.from_template(template)

vectorstore = InMemoryVectorStore.from_texts(
    ["harrison worked at kensho", "harrison likes spicy food"],
    embedding=FakeEmbeddings(),
)
retriever = vectorstore.as_retriever()

chunks = [chunk for chunk in retriever.stream("where did harrison work?")]
print(repr(chunks))

# block 10
retrieval_chain = (
    {
        "context": retriever.with_config(run_name="Docs"),
        "question": RunnablePassthrough(),
    }
    | prompt
    | model
    | StrOutputParser()
)

# block 11
for chunk in retrieval_chain.stream(
    "Where did harrison work? " "Write 3 made up sentences about this place."
):
    print(chunk, end="|", flush=True)
