"""Readable captions built from AudioSet labels (YAMNet's 521 display names).

No captioning model ships offline, so captions are templates: every sound label belongs to a
*family* (the unit that is merged over time into one event: "dog", "door", "phone") and has
a sentence ("a dog barking"). Generic parents ("Animal", "Vehicle", "Alarm") carry a caption
too, used only when no specific family of their *group* is heard at the same time.
Vocal-burst labels map to a burst name, a description and, where the sound itself says it,
an emotion word. Music captions combine mood, genre, vocals and instruments.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Iterable, Mapping, Sequence

__all__ = [
    "SoundLabel",
    "BurstLabel",
    "SOUND_LABELS",
    "BURST_LABELS",
    "SPEECH_LABELS",
    "SINGING_LABELS",
    "MUSIC_LABELS",
    "INSTRUMENT_WORDS",
    "GENRE_WORDS",
    "MOOD_WORDS",
    "IGNORED_LABELS",
    "INTERJECTIONS",
    "interjection_burst",
    "music_caption",
    "join_words",
]


@dataclass(frozen=True)
class SoundLabel:
    family: str
    caption: str
    group: str
    generic: bool = False


@dataclass(frozen=True)
class BurstLabel:
    family: str  # the merge unit over time (laughs of every kind are one family)
    name: str  # the UAAP ``vocal_burst`` value
    description: str
    emotion: str | None = None


def _family(group: str, family: str, entries: Mapping[str, str], generic: Iterable[str] = ()) -> dict[str, SoundLabel]:
    generic = set(generic)
    return {label: SoundLabel(family, caption, group, label in generic) for label, caption in entries.items()}


SOUND_LABELS: dict[str, SoundLabel] = {
    # --- animals -------------------------------------------------------------------------
    **_family("animal", "animal", {
        "Animal": "an animal calling",
        "Domestic animals, pets": "a pet animal making noise",
        "Livestock, farm animals, working animals": "farm animals calling",
        "Wild animals": "a wild animal calling",
    }, generic={"Animal", "Domestic animals, pets", "Livestock, farm animals, working animals", "Wild animals"}),
    **_family("animal", "dog", {
        "Dog": "a dog barking", "Bark": "a dog barking", "Bow-wow": "a dog barking",
        "Canidae, dogs, wolves": "a dog barking", "Yip": "a small dog yipping", "Howl": "a dog howling",
        "Growling": "a dog growling", "Whimper (dog)": "a dog whimpering",
    }),
    **_family("animal", "cat", {
        "Cat": "a cat meowing", "Meow": "a cat meowing", "Purr": "a cat purring", "Hiss": "a cat hissing",
        "Caterwaul": "cats yowling",
    }),
    **_family("animal", "horse", {"Horse": "a horse neighing", "Neigh, whinny": "a horse neighing",
                                  "Clip-clop": "a horse's hooves clip-clopping"}),
    **_family("animal", "cow", {"Cattle, bovinae": "a cow mooing", "Moo": "a cow mooing",
                                "Cowbell": "a cowbell clanking"}),
    **_family("animal", "pig", {"Pig": "a pig oinking", "Oink": "a pig oinking"}),
    **_family("animal", "sheep", {"Goat": "a goat bleating", "Bleat": "a sheep bleating", "Sheep": "a sheep bleating"}),
    **_family("animal", "poultry", {
        "Fowl": "chickens clucking", "Chicken, rooster": "a rooster crowing", "Cluck": "a chicken clucking",
        "Crowing, cock-a-doodle-doo": "a rooster crowing", "Turkey": "a turkey gobbling", "Gobble": "a turkey gobbling",
        "Duck": "a duck quacking", "Quack": "a duck quacking", "Goose": "a goose honking", "Honk": "a goose honking",
    }),
    **_family("animal", "big_cat", {"Roaring cats (lions, tigers)": "a big cat roaring", "Roar": "an animal roaring"}),
    **_family("animal", "bird", {
        "Bird": "birds chirping", "Bird vocalization, bird call, bird song": "a bird singing",
        "Chirp, tweet": "birds chirping and tweeting", "Squawk": "a bird squawking", "Pigeon, dove": "a pigeon cooing",
        "Coo": "a pigeon cooing", "Crow": "a crow cawing", "Caw": "a crow cawing", "Owl": "an owl hooting",
        "Hoot": "an owl hooting", "Bird flight, flapping wings": "a bird flapping its wings",
    }),
    **_family("animal", "rodent", {"Rodents, rats, mice": "a mouse squeaking", "Mouse": "a mouse squeaking",
                                   "Patter": "small feet pattering"}),
    **_family("animal", "insect", {
        "Insect": "insects buzzing", "Cricket": "crickets chirping", "Mosquito": "a mosquito whining",
        "Fly, housefly": "a fly buzzing", "Bee, wasp, etc.": "a bee buzzing",
    }),
    **_family("animal", "frog", {"Frog": "a frog croaking", "Croak": "a frog croaking"}),
    **_family("animal", "snake", {"Snake": "a snake hissing", "Rattle": "a dry rattling sound"}),
    **_family("animal", "whale", {"Whale vocalization": "a whale singing"}),
    # --- weather and water ---------------------------------------------------------------------
    **_family("nature", "rain", {"Rain": "rain falling steadily", "Raindrop": "raindrops falling",
                                 "Rain on surface": "rain pattering on a surface"}),
    **_family("nature", "thunder", {"Thunderstorm": "a thunderstorm with rolling thunder", "Thunder": "thunder rumbling"}),
    **_family("nature", "wind", {"Wind": "wind blowing", "Rustling leaves": "leaves rustling in the wind",
                                 "Wind noise (microphone)": "wind buffeting the microphone"}),
    **_family("nature", "water", {
        "Water": "water flowing", "Stream": "a stream babbling", "Waterfall": "a waterfall rushing",
        "Ocean": "ocean waves crashing", "Waves, surf": "waves breaking on the shore", "Steam": "steam hissing",
        "Gurgling": "water gurgling", "Liquid": "liquid sloshing",
    }, generic={"Water", "Liquid"}),
    **_family("nature", "fire", {"Fire": "a fire crackling", "Crackle": "a fire crackling"}),
    # --- vehicles -----------------------------------------------------------------------------
    **_family("vehicle", "vehicle", {"Vehicle": "a vehicle passing", "Motor vehicle (road)": "a motor vehicle driving by"},
              generic={"Vehicle", "Motor vehicle (road)"}),
    **_family("vehicle", "car", {
        "Car": "a car driving past", "Car passing by": "a car passing by", "Race car, auto racing": "a race car speeding",
        "Skidding": "tires skidding", "Tire squeal": "tires squealing", "Power windows, electric windows": "a car window whirring",
        "Accelerating, revving, vroom": "an engine revving",
    }),
    **_family("vehicle", "horn", {"Vehicle horn, car horn, honking": "a car horn honking", "Toot": "a horn tooting",
                                  "Air horn, truck horn": "a truck's air horn blaring"}),
    **_family("vehicle", "truck", {"Truck": "a truck rumbling past", "Air brake": "a truck's air brakes hissing",
                                   "Bus": "a bus driving by", "Ice cream truck, ice cream van": "an ice cream van's chime"}),
    **_family("vehicle", "siren", {
        "Siren": "a siren wailing", "Civil defense siren": "a civil defense siren wailing",
        "Emergency vehicle": "an emergency vehicle siren", "Police car (siren)": "a police siren wailing",
        "Ambulance (siren)": "an ambulance siren wailing", "Fire engine, fire truck (siren)": "a fire engine siren wailing",
    }),
    **_family("vehicle", "motorcycle", {"Motorcycle": "a motorcycle engine roaring"}),
    **_family("vehicle", "train", {
        "Rail transport": "a train passing", "Train": "a train passing", "Train whistle": "a train whistle blowing",
        "Train horn": "a train horn blaring", "Railroad car, train wagon": "train cars rattling on the tracks",
        "Train wheels squealing": "the wheels of a train squealing on the rails", "Subway, metro, underground": "a subway train rumbling",
        "Clickety-clack": "a train clickety-clacking on the rails",
    }),
    **_family("vehicle", "aircraft", {
        "Aircraft": "an airplane flying overhead", "Aircraft engine": "an aircraft engine droning",
        "Jet engine": "a jet engine roaring", "Propeller, airscrew": "a propeller plane droning",
        "Helicopter": "a helicopter flying overhead", "Fixed-wing aircraft, airplane": "an airplane flying overhead",
    }),
    **_family("vehicle", "boat", {
        "Boat, Water vehicle": "a boat on the water", "Sailboat, sailing ship": "a sailboat creaking",
        "Rowboat, canoe, kayak": "oars paddling a boat", "Motorboat, speedboat": "a motorboat speeding by",
        "Ship": "a ship's engine rumbling",
    }),
    **_family("vehicle", "bicycle", {"Bicycle": "a bicycle riding by", "Skateboard": "a skateboard rolling"}),
    **_family("vehicle", "engine", {
        "Engine": "an engine running", "Light engine (high frequency)": "a small engine whining",
        "Medium engine (mid frequency)": "an engine humming", "Heavy engine (low frequency)": "a heavy engine rumbling",
        "Engine knocking": "an engine knocking", "Engine starting": "an engine starting up", "Idling": "an engine idling",
        "Lawn mower": "a lawn mower running", "Chainsaw": "a chainsaw buzzing", "Dental drill, dentist's drill": "a dental drill whining",
    }),
    **_family("vehicle", "traffic", {"Traffic noise, roadway noise": "traffic rumbling on a road"}),
    # --- home -----------------------------------------------------------------------------------
    **_family("home", "door", {
        "Door": "a door opening and closing", "Slam": "a door slams shut", "Knock": "someone knocking on a door",
        "Sliding door": "a sliding door gliding open", "Cupboard open or close": "a cupboard door opening and closing",
        "Drawer open or close": "a drawer sliding open and shut", "Creak": "a door creaking",
    }),
    **_family("home", "doorbell", {"Doorbell": "a doorbell ringing", "Ding-dong": "a doorbell chiming ding-dong"}),
    **_family("home", "kitchen", {
        "Dishes, pots, and pans": "dishes and pans clattering", "Cutlery, silverware": "cutlery clinking",
        "Chopping (food)": "food being chopped on a board", "Frying (food)": "food sizzling in a pan",
        "Microwave oven": "a microwave oven humming", "Blender": "a blender whirring", "Sizzle": "food sizzling",
        "Boiling": "water boiling", "Stir": "someone stirring a pot",
    }),
    **_family("home", "tap", {
        "Water tap, faucet": "water running from a tap", "Sink (filling or washing)": "a sink filling with water",
        "Bathtub (filling or washing)": "a bathtub filling with water", "Toilet flush": "a toilet flushing",
        "Pour": "liquid being poured", "Fill (with liquid)": "a container filling with liquid", "Drip": "water dripping",
        "Splash, splatter": "water splashing", "Trickle, dribble": "water trickling", "Gush": "water gushing",
        "Spray": "a spray hissing", "Slosh": "water sloshing", "Pump (liquid)": "a pump pumping liquid",
    }),
    **_family("home", "appliance", {
        "Hair dryer": "a hair dryer blowing", "Vacuum cleaner": "a vacuum cleaner running",
        "Toothbrush": "someone brushing their teeth", "Electric toothbrush": "an electric toothbrush buzzing",
        "Electric shaver, electric razor": "an electric razor buzzing", "Mechanical fan": "a fan whirring",
        "Air conditioning": "an air conditioner humming", "Sewing machine": "a sewing machine rattling",
        "Printer": "a printer printing",
    }),
    **_family("home", "typing", {
        "Typing": "someone typing on a keyboard", "Typewriter": "a typewriter clacking",
        "Computer keyboard": "someone typing on a computer keyboard", "Writing": "a pen scratching on paper",
    }),
    **_family("home", "clock", {"Clock": "a clock ticking", "Tick": "a clock ticking", "Tick-tock": "a clock going tick-tock"}),
    # --- signals --------------------------------------------------------------------------------
    **_family("signal", "signal", {"Alarm": "an alarm going off"}, generic={"Alarm"}),
    **_family("signal", "phone", {
        "Telephone": "a telephone ringing", "Telephone bell ringing": "a telephone ringing",
        "Ringtone": "a phone ringtone playing", "Telephone dialing, DTMF": "a phone number being dialed",
        "Dial tone": "a telephone dial tone", "Busy signal": "a telephone busy signal",
    }),
    **_family("signal", "alarm", {
        "Alarm clock": "an alarm clock ringing", "Buzzer": "a buzzer sounding", "Smoke detector, smoke alarm": "a smoke alarm beeping",
        "Fire alarm": "a fire alarm ringing", "Car alarm": "a car alarm blaring", "Reversing beeps": "a vehicle reversing beeper",
        "Foghorn": "a foghorn blowing", "Whistle": "a whistle blowing", "Steam whistle": "a steam whistle shrieking",
    }),
    **_family("signal", "bell", {
        "Bell": "a bell ringing", "Church bell": "church bells ringing", "Jingle bell": "jingle bells jingling",
        "Bicycle bell": "a bicycle bell ringing", "Tuning fork": "a tuning fork ringing", "Chime": "a chime ringing",
        "Wind chime": "wind chimes tinkling", "Change ringing (campanology)": "church bells pealing",
        "Ding": "a bell dinging", "Jingle, tinkle": "something jingling",
    }),
    **_family("signal", "beep", {
        "Beep, bleep": "an electronic beep", "Ping": "an electronic ping", "Sine wave": "a steady electronic tone",
        "Chirp tone": "an electronic chirp", "Sonar": "a sonar ping", "Cash register": "a cash register ringing",
    }),
    # --- tools, impacts, explosions -----------------------------------------------------------------
    **_family("work", "tools", {
        "Tools": "tools clanking", "Hammer": "a hammer pounding", "Jackhammer": "a jackhammer pounding",
        "Sawing": "someone sawing wood", "Filing (rasp)": "a file rasping", "Sanding": "sandpaper sanding",
        "Power tool": "a power tool whirring", "Drill": "a drill whirring",
    }),
    **_family("work", "mechanism", {
        "Mechanisms": "a mechanism clicking", "Ratchet, pawl": "a ratchet clicking", "Gears": "gears turning",
        "Pulleys": "pulleys creaking", "Camera": "a camera shutter clicking", "Single-lens reflex camera": "a camera shutter clicking",
        "Zipper (clothing)": "a zipper being pulled", "Keys jangling": "a bunch of keys jangling", "Coin (dropping)": "coins dropping",
        "Scissors": "scissors snipping", "Shuffling cards": "playing cards being shuffled",
    }),
    **_family("impact", "gunshot", {
        "Gunshot, gunfire": "gunshots firing", "Machine gun": "a machine gun firing", "Fusillade": "a volley of gunfire",
        "Artillery fire": "artillery booming", "Cap gun": "a cap gun popping",
    }),
    **_family("impact", "fireworks", {"Fireworks": "fireworks exploding", "Firecracker": "firecrackers popping"}),
    **_family("impact", "explosion", {"Explosion": "an explosion booming", "Boom": "a loud boom", "Eruption": "a violent eruption",
                                      "Burst, pop": "something bursting with a pop"}),
    **_family("impact", "glass", {"Glass": "glass clinking", "Chink, clink": "glasses clinking", "Shatter": "glass shattering"}),
    **_family("impact", "wood", {"Wood": "wood knocking", "Chop": "wood being chopped", "Splinter": "wood splintering",
                                 "Crack": "something cracking"}),
    **_family("impact", "impact", {
        "Thump, thud": "a heavy thud", "Thunk": "a dull thunk", "Bang": "a loud bang", "Slap, smack": "a sharp slap",
        "Whack, thwack": "a hard whack", "Smash, crash": "something crashing", "Breaking": "something breaking",
        "Bouncing": "something bouncing", "Basketball bounce": "a ball bouncing", "Clang": "a metallic clang",
        "Tap": "light tapping", "Clatter": "objects clattering",
    }),
    # --- people (non-vocal) ------------------------------------------------------------------------
    **_family("people", "footsteps", {"Walk, footsteps": "footsteps walking", "Run": "footsteps running",
                                      "Shuffle": "feet shuffling"}),
    **_family("people", "applause", {"Applause": "an audience applauding", "Clapping": "hands clapping",
                                     "Cheering": "a crowd cheering"}),
    **_family("people", "crowd", {"Crowd": "a crowd murmuring", "Chatter": "people chattering in the background",
                                  "Children playing": "children playing and shouting"}),
    **_family("people", "body", {
        "Finger snapping": "fingers snapping", "Chewing, mastication": "someone chewing", "Biting": "someone biting into food",
        "Gargling": "someone gargling", "Stomach rumble": "a stomach rumbling", "Fart": "someone farting",
        "Heart sounds, heartbeat": "a heartbeat thumping", "Heart murmur": "a heart murmur",
    }),
    # --- textures -----------------------------------------------------------------------------
    **_family("texture", "rustle", {"Rustle": "something rustling", "Crumpling, crinkling": "paper crumpling",
                                    "Tearing": "paper tearing", "Rub": "something rubbing", "Scratch": "something scratching",
                                    "Scrape": "something scraping", "Crushing": "something being crushed", "Crunch": "something crunching"}),
    **_family("texture", "whoosh", {"Whoosh, swoosh, swish": "a whooshing sound", "Whip": "a whip cracking",
                                    "Flap": "something flapping", "Arrow": "an arrow whizzing", "Zing": "a zinging sound",
                                    "Boing": "a springy boing"}),
    **_family("texture", "squeak", {"Squeak": "something squeaking", "Squeal": "a high squeal"}),
    **_family("texture", "machine", {"Whir": "a machine whirring", "Rumble": "a low rumble", "Throbbing": "a low throbbing",
                                     "Vibration": "something vibrating", "Clicking": "clicking sounds", "Roll": "something rolling",
                                     "Plop": "something plopping into water", "Squish": "a squishing sound"}),
    **_family("texture", "hum", {"Hum": "a low hum", "Mains hum": "an electrical mains hum", "Buzz": "a buzzing sound"}),
    **_family("texture", "noise", {"White noise": "steady white noise", "Pink noise": "steady rushing noise",
                                   "Static": "crackling static", "Noise": "steady background noise",
                                   "Environmental noise": "ambient background noise"},
              generic={"Noise", "Environmental noise"}),
    **_family("media", "broadcast", {"Television": "a television playing in the background",
                                     "Radio": "a radio playing in the background"}),
}

BURST_LABELS: dict[str, BurstLabel] = {
    "Laughter": BurstLabel("laughter", "laughter", "a person laughing", "amused"),
    "Baby laughter": BurstLabel("laughter", "laughter", "a baby laughing", "happy"),
    "Giggle": BurstLabel("laughter", "giggle", "a person giggling", "amused"),
    "Snicker": BurstLabel("laughter", "snicker", "a person snickering", "amused"),
    "Belly laugh": BurstLabel("laughter", "belly_laugh", "a person laughing heartily from the belly", "amused"),
    "Chuckle, chortle": BurstLabel("laughter", "chuckle", "a person chuckling", "amused"),
    "Crying, sobbing": BurstLabel("crying", "sob", "a person crying and sobbing", "sad"),
    "Baby cry, infant cry": BurstLabel("crying", "cry", "a baby crying", "distressed"),
    "Whimper": BurstLabel("crying", "whimper", "a person whimpering", "sad"),
    "Wail, moan": BurstLabel("moan", "moan", "a person wailing and moaning", "distressed"),
    "Sigh": BurstLabel("sigh", "sigh", "a person sighing"),
    "Groan": BurstLabel("moan", "groan", "a person groaning"),
    "Grunt": BurstLabel("grunt", "grunt", "a person grunting"),
    "Breathing": BurstLabel("breathing", "breathing", "a person breathing heavily"),
    "Wheeze": BurstLabel("breathing", "wheeze", "a person wheezing"),
    "Pant": BurstLabel("breathing", "pant", "a person panting"),
    "Snoring": BurstLabel("snoring", "snore", "a person snoring"),
    "Snort": BurstLabel("snort", "snort", "a person snorting"),
    "Gasp": BurstLabel("gasp", "gasp", "a sharp gasp", "surprised"),
    "Cough": BurstLabel("cough", "cough", "a person coughing"),
    "Throat clearing": BurstLabel("cough", "throat_clearing", "a person clearing their throat"),
    "Sneeze": BurstLabel("sneeze", "sneeze", "a person sneezing"),
    "Sniff": BurstLabel("sniff", "sniff", "a person sniffing"),
    "Screaming": BurstLabel("scream", "scream", "a person screaming", "frightened"),
    "Hiccup": BurstLabel("hiccup", "hiccup", "a person hiccuping"),
    "Burping, eructation": BurstLabel("burp", "burp", "a person burping"),
}

#: ASR text that is a vocalisation, not words: (pattern over one token, burst). Whisper writes
#: laughs, cries and hums as interjections ("Ha ha ha!", "Ow!", "Hmm."); the speech tagger hears
#: them as speech, so fusion turns such short segments into vocal bursts.
INTERJECTIONS: tuple[tuple[str, BurstLabel], ...] = (
    (r"(ha|he|hi|ho|hah|heh|hih|hoh|ja|je|ji|jaja|jeje|哈|呵|嘿)+", BurstLabel("laughter", "laughter", "a person laughing", "amused")),
    (r"(h?m+|h?mm+|hm+m*|嗯)", BurstLabel("hmm", "hmm", "a thoughtful hum, hmm", "pensive")),
    (r"(ow+|ouch|au+a?|aua|aie+|ai+|ay+|oww*|哎哟|哎呦)", BurstLabel("ow", "ow", "a short cry of pain, ow", "in pain")),
    (r"(o+h+|o+o+h*|wow|whoa|woah|oh+o+)", BurstLabel("gasp", "oh", "a surprised exclamation, oh", "surprised")),
    (r"(a+h+|a+a+h*)", BurstLabel("sigh", "ah", "an exclamation, ah")),
    (r"(u+g+h+|a+r+g+h+|u+r+g+h+|gr+)", BurstLabel("groan", "groan", "a frustrated groan", "frustrated")),
    (r"(w+o+h?o+|w+u+h?u+(h?u+)*|woo+hoo+|yay+|yee+ha+w?|yippee+|hurray|hooray|juhu+)", BurstLabel("cheer", "whoop", "a joyful whoop", "excited")),
    (r"(a+ch+o+o*|hatschi|atchoo)", BurstLabel("sneeze", "sneeze", "a person sneezing")),
    (r"(ahem|a+h+e+m+)", BurstLabel("cough", "throat_clearing", "a person clearing their throat")),
    (r"(sh+|shush|psst)", BurstLabel("shush", "shush", "a person shushing")),
    (r"(he+y+|hei|oi+|yo)", BurstLabel("shout", "hey", "a short call or shout, hey", "startled")),
    (r"(boo+|buh+)", BurstLabel("boo", "boo", "a person booing", "disapproving")),
    (r"(e+w+|yuck|ick)", BurstLabel("disgust", "ew", "a disgusted exclamation, ew", "disgusted")),
    (r"(ph+e+w+|pf+|pff+t*)", BurstLabel("sigh", "sigh", "a person exhaling with relief, phew", "relieved")),
)
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)
_COMPILED = tuple((re.compile(pattern), burst) for pattern, burst in INTERJECTIONS)


def interjection_burst(text: str) -> BurstLabel | None:
    """The burst when every token of ``text`` is the same kind of interjection, else None.

    >>> interjection_burst("Ha ha ha ha!").name, interjection_burst("Hmm.").name
    ('laughter', 'hmm')
    >>> interjection_burst("Oh, I see.") is None
    True
    """
    tokens = _TOKEN.findall(unicodedata.normalize("NFKC", text).lower())
    if not tokens:
        return None
    found: BurstLabel | None = None
    for token in tokens:
        match = next((burst for pattern, burst in _COMPILED if pattern.fullmatch(token)), None)
        if match is None or (found is not None and match.family != found.family):
            return None
        found = found or match
    return found


#: Speech-like labels: evidence for speech turns, never sound events.
SPEECH_LABELS: frozenset[str] = frozenset({
    "Speech", "Child speech, kid speaking", "Conversation", "Narration, monologue", "Babbling",
    "Speech synthesizer", "Whispering", "Hubbub, speech noise, speech babble",
})

#: Voice used as music.
SINGING_LABELS: frozenset[str] = frozenset({
    "Singing", "Choir", "Yodeling", "Chant", "Mantra", "Child singing", "Synthetic singing", "Rapping",
    "Humming", "A capella", "Vocal music", "Opera",
})

INSTRUMENT_WORDS: dict[str, str] = {
    "Piano": "piano", "Electric piano": "electric piano", "Keyboard (musical)": "keyboards", "Organ": "organ",
    "Electronic organ": "electronic organ", "Hammond organ": "Hammond organ", "Synthesizer": "synthesizer",
    "Sampler": "samples", "Harpsichord": "harpsichord", "Guitar": "guitar", "Electric guitar": "electric guitar",
    "Bass guitar": "bass guitar", "Acoustic guitar": "acoustic guitar", "Steel guitar, slide guitar": "slide guitar",
    "Tapping (guitar technique)": "tapped guitar", "Strum": "strummed guitar", "Banjo": "banjo", "Sitar": "sitar",
    "Mandolin": "mandolin", "Zither": "zither", "Ukulele": "ukulele", "Drum kit": "drums", "Drum machine": "a drum machine",
    "Drum": "drums", "Snare drum": "snare drum", "Rimshot": "rimshots", "Drum roll": "a drum roll", "Bass drum": "bass drum",
    "Timpani": "timpani", "Tabla": "tabla", "Cymbal": "cymbals", "Hi-hat": "hi-hats", "Wood block": "wood block",
    "Tambourine": "tambourine", "Rattle (instrument)": "rattles", "Maraca": "maracas", "Gong": "gong",
    "Tubular bells": "tubular bells", "Mallet percussion": "mallet percussion", "Marimba, xylophone": "marimba",
    "Glockenspiel": "glockenspiel", "Vibraphone": "vibraphone", "Steelpan": "steelpan", "Orchestra": "orchestra",
    "Brass instrument": "brass", "French horn": "French horn", "Trumpet": "trumpet", "Trombone": "trombone",
    "Bowed string instrument": "strings", "String section": "strings", "Violin, fiddle": "violin",
    "Pizzicato": "pizzicato strings", "Cello": "cello", "Double bass": "double bass",
    "Wind instrument, woodwind instrument": "woodwinds", "Flute": "flute", "Saxophone": "saxophone",
    "Clarinet": "clarinet", "Harp": "harp", "Harmonica": "harmonica", "Accordion": "accordion", "Bagpipes": "bagpipes",
    "Didgeridoo": "didgeridoo", "Shofar": "shofar", "Theremin": "theremin", "Singing bowl": "a singing bowl",
    "Scratching (performance technique)": "turntable scratching", "Beatboxing": "beatboxing",
    "Percussion": "percussion", "Plucked string instrument": "plucked strings", "Whistling": "whistling",
}
_GENERIC_INSTRUMENTS = frozenset({"Percussion", "Plucked string instrument", "Keyboard (musical)", "Guitar", "Drum",
                                  "Bowed string instrument", "Brass instrument", "Wind instrument, woodwind instrument"})

GENRE_WORDS: dict[str, str] = {
    "Pop music": "pop", "Hip hop music": "hip hop", "Rock music": "rock", "Heavy metal": "heavy metal",
    "Punk rock": "punk rock", "Grunge": "grunge", "Progressive rock": "progressive rock", "Rock and roll": "rock and roll",
    "Psychedelic rock": "psychedelic rock", "Rhythm and blues": "rhythm and blues", "Soul music": "soul",
    "Reggae": "reggae", "Country": "country", "Swing music": "swing", "Bluegrass": "bluegrass", "Funk": "funk",
    "Folk music": "folk", "Middle Eastern music": "Middle Eastern", "Jazz": "jazz", "Disco": "disco",
    "Classical music": "classical", "Opera": "operatic", "Electronic music": "electronic", "House music": "house",
    "Techno": "techno", "Dubstep": "dubstep", "Drum and bass": "drum and bass", "Electronica": "electronica",
    "Electronic dance music": "electronic dance", "Ambient music": "ambient", "Trance music": "trance",
    "Music of Latin America": "Latin", "Salsa music": "salsa", "Flamenco": "flamenco", "Blues": "blues",
    "Music for children": "children's", "New-age music": "new-age", "Vocal music": "vocal", "A capella": "a cappella",
    "Music of Africa": "African", "Afrobeat": "afrobeat", "Christian music": "Christian", "Gospel music": "gospel",
    "Music of Asia": "Asian", "Carnatic music": "Carnatic", "Music of Bollywood": "Bollywood", "Ska": "ska",
    "Traditional music": "traditional", "Independent music": "indie", "Christmas music": "Christmas",
    "Dance music": "dance", "Wedding music": "wedding", "Video game music": "video game",
    "Soundtrack music": "cinematic soundtrack", "Theme music": "theme", "Lullaby": "lullaby",
    "Jingle (music)": "jingle", "Background music": "background", "Song": "",
}

MOOD_WORDS: dict[str, str] = {
    "Happy music": "upbeat, happy", "Sad music": "sad, melancholic", "Tender music": "tender, gentle",
    "Exciting music": "energetic, exciting", "Angry music": "aggressive, intense", "Scary music": "dark, eerie",
}

#: Everything that counts as music evidence (the generic parents, instruments, genres, moods, singing).
MUSIC_LABELS: frozenset[str] = frozenset(
    {"Music", "Musical instrument", "Electronic tuner", "Effects unit", "Chorus effect"}
    | set(INSTRUMENT_WORDS) | set(GENRE_WORDS) | set(MOOD_WORDS) | SINGING_LABELS
)

#: Labels that describe the room or the recording, not a sound source.
IGNORED_LABELS: frozenset[str] = frozenset({
    "Silence", "Inside, small room", "Inside, large room or hall", "Inside, public space", "Outside, urban or manmade",
    "Outside, rural or natural", "Reverberation", "Echo", "Sidetone", "Distortion", "Cacophony", "Sound effect",
    "Pulse", "Harmonic", "Field recording", "Hands", "Shout", "Bellow", "Whoop", "Yell", "Children shouting",
})


def join_words(words: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'.

    >>> join_words(["piano", "strings", "drums"])
    'piano, strings and drums'
    """
    words = [w for w in words if w]
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def music_caption(scores: Mapping[str, float], singing: bool, *, min_score: float = 0.2, max_instruments: int = 2) -> str:
    """A sentence for a music span from its label scores (mean over the span).

    >>> music_caption({"Music": 1.0, "Piano": 0.6, "Classical music": 0.4}, singing=False)
    'instrumental classical music with piano'
    >>> music_caption({"Music": 0.9, "Pop music": 0.5, "Drum kit": 0.5, "Electric guitar": 0.3,
    ...                "Happy music": 0.3}, singing=True)
    'upbeat, happy pop music with singing, featuring drums and electric guitar'
    >>> music_caption({"Music": 0.9}, singing=False)
    'instrumental music'
    """
    def ranked(table: Mapping[str, str]) -> list[str]:
        hits = sorted(((s, l) for l, s in scores.items() if l in table and s >= min_score), reverse=True)
        return [label for _, label in hits]

    moods = ranked(MOOD_WORDS)
    genres = [g for g in ranked(GENRE_WORDS) if GENRE_WORDS[g]]
    instruments = ranked(INSTRUMENT_WORDS)
    specific = [i for i in instruments if i not in _GENERIC_INSTRUMENTS]
    chosen: list[str] = []
    for label in specific + [i for i in instruments if i in _GENERIC_INSTRUMENTS]:
        word = INSTRUMENT_WORDS[label]
        if word not in chosen and not any(word in c or c in word for c in chosen):
            chosen.append(word)
        if len(chosen) == max_instruments:
            break
    head = " ".join(w for w in (MOOD_WORDS[moods[0]] if moods else "", GENRE_WORDS[genres[0]] if genres else "") if w)
    head = f"{head} music" if head else "music"
    if singing:
        text = f"{head} with singing"
        if chosen:
            text += f", featuring {join_words(chosen)}"
    else:
        text = f"instrumental {head}"
        if chosen:
            text += f" with {join_words(chosen)}"
    return text
