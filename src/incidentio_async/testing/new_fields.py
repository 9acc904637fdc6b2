"""Body fields a hand-written handler does not know are kept on the record, not dropped.

A newer spec may let a follow-up's create or update set a field the fake's handlers were not
written for (a due date, say). Dropping it would answer as if the field did not exist, and a
test of the code that sets it would fail for the wrong reason, or pass for one. So after a
hand-written handler has answered, every field of the request body that the answered record
also has, with a value its schema allows and the handler did not set, is set on the record
through its store (:mod:`~incidentio_async.testing.adapters`), and the answer shows it.
"""

from __future__ import annotations

import json
from typing import Any

from incidentio_async._operation import Operation
from incidentio_async.testing.generic import shape_of
from incidentio_async.testing.messages import Request, Response
from incidentio_async.testing.openapi import packaged
from incidentio_async.testing.records import dumps
from incidentio_async.testing.router import Handler
from incidentio_async.testing.state import FakeState
from incidentio_async.testing.synthesis import fits


def keeping_new_fields(operation: Operation[Any], handler: Handler, state: FakeState) -> Handler:
    """``handler``, made to keep the body fields of its record it does not set itself.

    Returned as it is for an operation without a request body.
    """
    if not operation.takes_body:
        return handler
    collection_path = shape_of(operation).collection

    def run(request: Request) -> Response:
        response = handler(request)
        body = request.json
        collection = state.collections.registered(collection_path)
        if not body or collection is None or not 200 <= response.status < 300:
            return response
        spec = packaged()
        envelope = spec.envelope(operation.id)
        if envelope.kind != "record" or envelope.items is None or envelope.record is None:
            return response
        answer = json.loads(response.body)
        record = answer[envelope.items]
        properties = envelope.record.get("properties", {})
        fields = {
            name: value
            for name, value in body.items()
            if name in properties
            and value is not None
            and record.get(name) != value
            and fits(spec, value, properties[name])
        }
        if not fields or not isinstance(record.get("id"), str):
            return response
        changed = collection.change(record["id"], fields)
        if changed is not None:
            answer[envelope.items] = changed
            response.body = dumps(answer)
        return response

    return run
