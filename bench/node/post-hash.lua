-- wrk: POST a PBKDF2 request (100,000 iterations) to the path given on the command line
wrk.method = "POST"
wrk.headers["content-type"] = "application/json"
wrk.body = '{"password": "correct horse battery staple", "iterations": 100000}'
