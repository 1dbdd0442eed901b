"""Drives civicbot's Open311 GeoReport v2 client (PyPI) against this service, for test/api/open311.test.ts.

Lists the services, reads one's definition, submits a request validated against that definition,
and reads it back alone and in the list. Prints what the client got, as JSON, for the test to check.
Usage: python open311_client.py BASE_URL API_KEY SERVICE_CODE DISTRICT LAT LNG (the point in WGS-84)
"""
import json
import sys

from civicbot.http import HttpTransport
from civicbot.open311 import CONFIRM_TOKEN, Open311Client
from civicbot.registry import Endpoint


class KeyedTransport(HttpTransport):
    """This city answers request reads to an app's key only: the key goes on every read."""

    def __init__(self, api_key):
        super().__init__()
        self.api_key = api_key

    def get_json(self, url, params=None, headers=None):
        return super().get_json(url, {**dict(params or {}), "api_key": self.api_key}, headers)


def main(base_url, api_key, service_code, district, lat, lng):
    endpoint = Endpoint(id="suggestion-chain", name="suggestion-chain", base_url=base_url, write=True)
    client = Open311Client(endpoint, transport=KeyedTransport(api_key))
    services = client.list_services()
    definition = client.get_service_definition(service_code)
    sent = client.create_request(
        service_code,
        dry_run=False,
        confirm=CONFIRM_TOKEN,
        api_key=api_key,
        validate_remote=True,
        address_string="上海市杨浦区国定路政民路口",
        lat=float(lat),
        lng=float(lng),
        description="国定路政民路口行人绿灯太短\n老人过马路走到一半就变红灯，希望延长行人绿灯时间。",
        attributes={"district": district},
        email="resident@example.cn",
        media_url="https://example.cn/photos/crossing.jpg",
    )
    [created] = sent.response
    request_id = created["service_request_id"]
    alone = client.get_request(request_id)
    listed = client.list_requests(service_request_ids=[request_id])
    print(json.dumps({"services": services, "definition": definition, "created": created, "alone": alone, "listed": listed}, ensure_ascii=False))


if __name__ == "__main__":
    main(*sys.argv[1:7])
